/**
 * Which BMP characters are "simple": each a grapheme of its own whatever stands beside it,
 * printable, assigned and no emoji, so that string-width measures it by its East Asian Width
 * alone and a grapheme segmenter gives it a segment of its own. Text made of them needs neither
 * (display-width.ts, lazy-segmenter.ts). This module imports nothing: the bundle's segmenter
 * shim depends on it, and every module that names Intl.Segmenter depends on the shim.
 */

// Not simple: marks and format characters join their neighbours; controls, unassigned,
// surrogate and ignorable code points take string-width's own rules; emoji take its emoji
// rules; Hangul jamo combine into syllables; the rest are letters that join a neighbour without
// being marks (Thai and Lao AM are spacing marks to the segmenter, U+0D4E is a prepend, halfwidth
// voiced marks extend).
const NOT_SIMPLE =
  /[\p{M}\p{Cc}\p{Cf}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Extended_Pictographic}\p{Emoji_Presentation}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\u0e33\u0eb3\u0d4e\uff9e\uff9f]/u;

/** Per BMP character: 1 simple, 0 not, -1 not looked at yet. */
const simple = new Int8Array(0x10000).fill(-1);

/** Whether the UTF-16 code unit `code` is a simple character (see above). */
export function isSimpleChar(code: number): boolean {
  if (code >= 0x20 && code < 0x7f) return true;
  let known = simple[code] as number;
  if (known === -1) {
    known = NOT_SIMPLE.test(String.fromCharCode(code)) ? 0 : 1;
    simple[code] = known;
  }
  return known === 1;
}
