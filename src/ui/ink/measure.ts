import {
  type AnsiCode,
  reduceAnsiCodesIncremental,
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
/** A run of SGR codes: what chalk writes around a styled Text, and a console around its colours. */
const SGR_RUN = /(?:\x1b\[[0-9;]*m)+/g;

/**
 * A line's styled characters, as ansi-tokenize makes them (a test holds the two equal). Two
 * shapes, most of a table and of a console, are made here without its grapheme segmenter and
 * per-character style copies:
 * - plain printable ASCII: one unstyled cell a character;
 * - text between SGR codes whose characters are each a grapheme of their own: the cells of one
 *   run share the codes in force at its start.
 */
export function toStyledChars(line: string): StyledChar[] {
  if (PRINTABLE_ASCII.test(line)) {
    const cells: StyledChar[] = [];
    for (const value of line) cells.push({ type: 'char', value, fullWidth: false, styles: [] });
    return cells;
  }
  return styledRuns(line) ?? styledCharsFromTokens(tokenize(line));
}

/** The cells of a line of SGR codes and simple text, or null when it holds anything else. */
function styledRuns(line: string): StyledChar[] | null {
  const cells: StyledChar[] = [];
  let styles: AnsiCode[] = [];
  let at = 0;
  for (const match of line.matchAll(SGR_RUN)) {
    if (!pushRun(cells, line, at, match.index, styles)) return null;
    const codes = sgrCodes.get(match[0]);
    if (!codes) return null;
    styles = reduceAnsiCodesIncremental(styles, codes);
    at = match.index + match[0].length;
  }
  return pushRun(cells, line, at, line.length, styles) ? cells : null;
}

/** Adds the cells of line[from, to), all with `styles`; false when a character needs more. */
function pushRun(
  cells: StyledChar[],
  line: string,
  from: number,
  to: number,
  styles: AnsiCode[],
): boolean {
  for (let i = from; i < to; i++) {
    // Escape and 8-bit CSI are not simple characters: a sequence that is not SGR ends up here.
    const width = simpleCharWidth(line.charCodeAt(i));
    if (width < 1) return false;
    cells.push({ type: 'char', value: line[i] as string, fullWidth: width === 2, styles });
  }
  return true;
}

/** A run of SGR codes as ansi-tokenize reads it, or null if it reads any of it as text. */
const sgrCodes = new BoundedCache((run): AnsiCode[] | null => {
  const tokens = tokenize(run);
  return tokens.every((token) => token.type === 'ansi') ? (tokens as AnsiCode[]) : null;
});

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
