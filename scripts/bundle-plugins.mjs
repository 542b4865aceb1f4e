// Every change the bundle makes to its dependencies, in one list: the build (scripts/build.mjs)
// and the benches that bundle what ships (bench/tui.mjs) use the same.
import { inkIncrementalFix } from './ink-incremental-fix.mjs';
import { inkOutputSwap } from './ink-output-swap.mjs';
import { inkSanitizeSgr } from './ink-sanitize-sgr.mjs';
import { lazySegmenter } from './lazy-segmenter.mjs';
import { stringWidthLazyEmoji } from './string-width-lazy-emoji.mjs';
import { yogaWithoutFetch } from './yoga-without-fetch.mjs';

export const bundlePlugins = [
  inkIncrementalFix,
  inkOutputSwap,
  inkSanitizeSgr,
  yogaWithoutFetch,
  stringWidthLazyEmoji,
  lazySegmenter,
];
