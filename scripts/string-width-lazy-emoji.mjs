// string-width 8 holds `/^\p{RGI_Emoji}$/v` as a literal: V8 builds its set of emoji sequences
// when the module is parsed, ~19 ms before the first frame, although the control room measures
// almost all text without it (src/domain/display-width.ts). Here the expression is made on its
// first use, with the same pattern and flags. Applied to the bundle only.
import { repoPath } from './repo-path.mjs';
import { textPatch } from './text-patch.mjs';

export const stringWidthLazyEmoji = textPatch({
  name: 'string-width-lazy-emoji',
  // The copy at the top of node_modules (ours, Ink's and cli-truncate's), not wrap-ansi's older one.
  file: repoPath('node_modules', 'string-width', 'index.js'),
  edits: [
    {
      find: 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
      replace:
        "let rgiEmojiPattern;\nconst rgiEmojiRegex = {test: (text) => (rgiEmojiPattern ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(text)};",
    },
  ],
});
