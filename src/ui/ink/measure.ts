import { type StyledChar, styledCharsFromTokens, tokenize } from '@alcalzone/ansi-tokenize';
import stringWidth from 'string-width';

/**
 * Measures of text that outlive a frame, for the bundle's Ink (output.ts, and `widest-line`,
 * which Ink calls on every text node of every frame without a cache). A table redrawn for one key
 * press measures the same strings as the frame before: a lookup instead of a grapheme walk.
 */

/** Past this many entries a cache starts over: a long session's texts must not pile up. */
const CACHE_LIMIT = 20_000;

class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly compute: (key: string) => V) {}
  get(key: string): V {
    let value = this.map.get(key);
    if (value === undefined) {
      if (this.map.size >= CACHE_LIMIT) this.map.clear();
      value = this.compute(key);
      this.map.set(key, value);
    }
    return value;
  }
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A line's styled characters. Plain printable ASCII (most of a console, most of a table) is one
 * unstyled cell a character: made here, without the grapheme segmenter ansi-tokenize runs on
 * every line. The same cells come out (a test holds this).
 */
export function toStyledChars(line: string): StyledChar[] {
  if (PRINTABLE_ASCII.test(line)) {
    const cells: StyledChar[] = [];
    for (const value of line) cells.push({ type: 'char', value, fullWidth: false, styles: [] });
    return cells;
  }
  return styledCharsFromTokens(tokenize(line));
}

export const styledChars = new BoundedCache(toStyledChars);
export const textWidth = new BoundedCache((text) => stringWidth(text));
const widest = new BoundedCache((text) => {
  let width = 0;
  for (const line of text.split('\n')) width = Math.max(width, textWidth.get(line));
  return width;
});

/** `widest-line`'s function: the width of the widest line of a text. */
export default function widestLine(text: string): number {
  return widest.get(text);
}
