import { eastAsianWidth } from 'get-east-asian-width';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { isSimpleChar } from './simple-chars.js';

/**
 * Terminal columns of a string, exactly as string-width counts them, without paying for
 * string-width where its rules cannot apply.
 *
 * Why: string-width's first call on any non-ASCII text compiles `\p{RGI_Emoji}`, about 35 ms,
 * and about 8 ms more when V8 tiers it up on the next call. Every frame of the control room has a
 * `›`, a `·` or an `…`, so the first frame paid ~45 ms for emoji it does not contain.
 *
 * A simple character (simple-chars.ts: a grapheme of its own, printable, assigned, no emoji) has
 * string-width's width by its East Asian Width alone. Text made only of such characters is
 * counted here, one character at a time; anything else goes to string-width whole. A test holds
 * the two equal for every BMP character.
 */

const UNKNOWN = -1;
const NOT_SIMPLE_WIDTH = -2;
/** Per BMP character: its width when simple, NOT_SIMPLE_WIDTH when not, UNKNOWN until first seen. */
const widths = new Int8Array(0x10000).fill(UNKNOWN);

/**
 * The columns of one BMP character (a UTF-16 code unit) when it is a grapheme of its own that
 * string-width measures by its East Asian Width; -2 when string-width must measure its text.
 */
export function simpleCharWidth(code: number): number {
  if (code >= 0x20 && code < 0x7f) return 1;
  let width = widths[code] as number;
  if (width === UNKNOWN) {
    width = isSimpleChar(code) ? eastAsianWidth(code) : NOT_SIMPLE_WIDTH;
    widths[code] = width;
  }
  return width;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest head of `text` no wider than `columns`, and what is left of it; never a grapheme
 * split in two. Text of simple characters (most titles and cells) is cut by character; from the
 * first character that is not simple, by grapheme.
 */
export function cutToWidth(text: string, columns: number): [string, string] {
  let used = 0;
  for (let i = 0; i < text.length; i += 1) {
    const w = simpleCharWidth(text.charCodeAt(i));
    if (w < 0) return cutByGraphemes(text, columns);
    if (used + w > columns) return [text.slice(0, i), text.slice(i)];
    used += w;
  }
  return [text, ''];
}

function cutByGraphemes(text: string, columns: number): [string, string] {
  let used = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > columns) return [text.slice(0, index), text.slice(index)];
    used += w;
  }
  return [text, ''];
}

/** Terminal columns of `text` (wide characters count two), as string-width counts them. */
export function displayWidth(text: string): number {
  // string-width's own first step: escape sequences take no columns (styled text is common).
  const shown = text.includes('\x1b') || text.includes('\x9b') ? stripAnsi(text) : text;
  let width = 0;
  for (let i = 0; i < shown.length; i += 1) {
    const w = simpleCharWidth(shown.charCodeAt(i));
    if (w < 0) return stringWidth(text);
    width += w;
  }
  return width;
}
