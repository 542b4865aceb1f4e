// Every `Intl.Segmenter` in the bundle, ours and our dependencies' (string-width, ansi-tokenize,
// Ink's truncating and wrapping), becomes src/domain/lazy-segmenter.ts's LazySegmenter: made on
// first need, and not at all for text whose characters are graphemes of their own. The first
// Segmenter of a process loads ICU data (~15 ms) that a first frame of plain cells never needs.
import { repoPath } from './repo-path.mjs';

const shim = repoPath('src', 'domain', 'lazy-segmenter.ts');

export const lazySegmenter = {
  name: 'lazy-segmenter',
  setup(build) {
    const options = build.initialOptions;
    options.define = { ...options.define, 'Intl.Segmenter': 'LazySegmenter' };
    options.inject = [...(options.inject ?? []), shim];
  },
};
