// Ink 6.8 sanitizes the text of every Text node of every frame (squash-text-nodes.js), and
// a nested Text's colour makes its parent's text hold escape codes: each row of a table was then
// read character by character by Ink's ANSI tokenizer, to give back the same string. Text whose
// only escapes are SGR (colours, bold: what chalk writes) is what the sanitizer keeps whole, so
// it is returned at once. Applied to the bundle only; the build fails if the code moved.
import { textPatch } from './text-patch.mjs';

export const inkSanitizeSgr = textPatch({
  name: 'ink-sanitize-sgr',
  file: /[\\/]ink[\\/]build[\\/]sanitize-ansi\.js$/,
  edits: [
    {
      find: 'const sanitizeAnsi = (text) => {\n    if (!hasAnsiControlCharacters(text)) {',
      replace:
        'const onlySgrText = /^(?:[^\\u001B\\u0080-\\u009F]|\\u001B\\[[\\d:;]*m)*$/;\nconst sanitizeAnsi = (text) => {\n    if (onlySgrText.test(text) || !hasAnsiControlCharacters(text)) {',
    },
  ],
});
