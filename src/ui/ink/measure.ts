import {
  type AnsiCode,
  reduceAnsiCodes,
  type StyledChar,
  styledCharsFromTokens,
  tokenize,
} from '@alcalzone/ansi-tokenize';
import { displayWidth, simpleCharWidth } from '../../domain/display-width.js';

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
/** Text as chalk styles it (Ink's coloured, bold or inverse Text): SGR, text, SGR. */
const STYLED_RUN = /^((?:\x1b\[[0-9;]*m)*)([^\x1b\x9b]*)((?:\x1b\[[0-9;]*m)*)$/;

/**
 * A line's styled characters, as ansi-tokenize makes them (a test holds the two equal). Two
 * shapes, most of a table and of a console, are made here without its grapheme segmenter and
 * per-character style copies:
 * - plain printable ASCII: one unstyled cell a character;
 * - one run of characters that are each a grapheme of their own, between SGR codes (what chalk
 *   writes for a styled Text): each cell has the codes in force at the run's start, shared.
 */
export function toStyledChars(line: string): StyledChar[] {
  if (PRINTABLE_ASCII.test(line)) {
    const cells: StyledChar[] = [];
    for (const value of line) cells.push({ type: 'char', value, fullWidth: false, styles: [] });
    return cells;
  }
  const run = STYLED_RUN.exec(line);
  return (
    (run && styledRun(run[1] as string, run[2] as string, run[3] as string)) ??
    styledCharsFromTokens(tokenize(line))
  );
}

/**
 * The cells of `text` between the SGR codes `opening` and `closing`, or null when a character
 * needs the segmenter or a code is one ansi-tokenize would not read as a style.
 */
function styledRun(opening: string, text: string, closing: string): StyledChar[] | null {
  const cells: StyledChar[] = [];
  for (let i = 0; i < text.length; i++) {
    const width = simpleCharWidth(text.charCodeAt(i));
    if (width < 1) return null;
    cells.push({ type: 'char', value: text[i] as string, fullWidth: width === 2, styles: [] });
  }
  const codes = tokenize(opening);
  if (!codes.every(isCode) || (closing && !tokenize(closing).every(isCode))) return null;
  const styles = reduceAnsiCodes(codes as AnsiCode[]);
  for (const cell of cells) cell.styles = styles;
  return cells;
}

const isCode = (token: { type: string }) => token.type === 'ansi';

export const styledChars = new BoundedCache(toStyledChars);
export const textWidth = new BoundedCache(displayWidth);
const widest = new BoundedCache((text) => {
  let width = 0;
  for (const line of text.split('\n')) width = Math.max(width, textWidth.get(line));
  return width;
});

/** `widest-line`'s function: the width of the widest line of a text. */
export default function widestLine(text: string): number {
  return widest.get(text);
}
