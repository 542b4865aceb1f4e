// Yoga (Ink's layout engine) ships its WebAssembly as a base64 data: URL, and its Emscripten
// loader reads it with `fetch` whenever `fetch` exists. In Node that loads undici, Node's HTTP
// client, to decode a string: ~45 ms of a ~80 ms Yoga start on a 2-core machine, before the
// first frame. Here the loader takes its own synchronous path (it decodes the same string and
// instantiates the same bytes, as it does where there is no `fetch`). Applied to the bundle only.
import { textPatch } from './text-patch.mjs';

export const yogaWithoutFetch = textPatch({
  name: 'yoga-without-fetch',
  file: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
  edits: [
    {
      find: 'function ya(){return w||"function"!=typeof fetch?',
      replace: 'function ya(){return w||true?',
    },
  ],
});
