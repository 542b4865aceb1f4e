import { ansiCodesToString, diffAnsiCodes, type StyledChar } from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import widestLine, { styledChars, textWidth } from './measure.js';

/**
 * Ink 6.8's frame buffer (ink/build/output.js): the same class, drawing the same frames, made
 * cheap for a big table where a key press changes a row or scrolls the rows by one. The bundle
 * uses it in place of Ink's own (scripts/ink-output-swap.mjs); test/unit/ui/ink-output.test.ts
 * checks that it draws what Ink's does, frame after frame.
 *
 * Ink builds a grid of styled cells from every text written, every frame, and turns each line of
 * it back into a string. A line is fully decided by the pieces written on it (where, and what,
 * once clipped and transformed) and the frame's width: here that is the line's key, and a line
 * whose key was drawn before (in this frame or an earlier one, on this row or another) costs a
 * lookup. Only new lines are tokenised and joined. Caches are bounded (measure.ts).
 */

type Transformer = (line: string, index: number) => string;
interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** One text written on a line: its column, and the line once clipped and transformed. */
interface Piece {
  x: number;
  text: string;
}

const BLANK: StyledChar = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: [] });

/** A line's string, by its key (see lineKey); the same pieces always make the same string. */
const drawn = new Map<string, string>();

function lineKey(width: number, pieces: readonly Piece[]): string {
  let key = `${width}`;
  for (const piece of pieces) key += `\u0000${piece.x}\u0001${piece.text}`;
  return key;
}

/** What Ink's grid makes of a line: cells, blanks where nothing was written, then a string. */
function drawLine(width: number, pieces: readonly Piece[]): string {
  const cells = new Array<StyledChar>(width).fill(BLANK);
  for (const { x, text } of pieces) {
    let at = x;
    for (const character of styledChars.get(text)) {
      cells[at] = character;
      const characterWidth = Math.max(1, textWidth.get(character.value));
      // A wide character's following cells are emptied so no stray space shows.
      for (let i = 1; i < characterWidth; i++) {
        cells[at + i] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
      }
      at += characterWidth;
    }
  }
  // Cells past a wide character at the edge can leave holes (see ink#564).
  return cellsToString(cells.filter((cell) => cell !== undefined)).trimEnd();
}

type Styles = StyledChar['styles'];

function sameStyles(a: Styles, b: Styles): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]?.code !== b[i]?.code || a[i]?.endCode !== b[i]?.endCode) return false;
  }
  return true;
}

/**
 * ansi-tokenize's styledCharsToString, which diffs the styles of every pair of neighbouring cells
 * (two Sets each): neighbours styled alike, most of a line, have an empty diff, found here by a
 * comparison instead. The same string comes out.
 */
function cellsToString(cells: readonly StyledChar[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as StyledChar;
    if (i === 0) out += ansiCodesToString(cell.styles);
    else {
      const before = (cells[i - 1] as StyledChar).styles;
      if (!sameStyles(before, cell.styles)) {
        out += ansiCodesToString(diffAnsiCodes(before, cell.styles));
      }
    }
    out += cell.value;
    if (i === cells.length - 1) out += ansiCodesToString(diffAnsiCodes(cell.styles, []));
  }
  return out;
}

export default class Output {
  readonly width: number;
  readonly height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    const rows: Piece[][] = Array.from({ length: this.height }, () => []);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      else if (operation.type === 'unclip') clips.pop();
      else place(rows, operation, clips.at(-1));
    }
    const output = rows.map((pieces) => {
      const key = lineKey(this.width, pieces);
      let text = drawn.get(key);
      if (text === undefined) {
        text = drawLine(this.width, pieces);
        remember(key, text);
      }
      return text;
    });
    return { output: output.join('\n'), height: rows.length };
  }
}

function remember(key: string, text: string): void {
  if (drawn.size >= 20_000) drawn.clear();
  drawn.set(key, text);
}

/** Ink's placing of one write, clip and transformers included, as pieces of the rows it covers. */
function place(
  rows: Piece[][],
  operation: Extract<Operation, { type: 'write' }>,
  clip: Clip | undefined,
): void {
  const { text, transformers } = operation;
  let { x, y } = operation;
  let pieces = text.split('\n');
  if (clip) {
    const clipsX = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
    const clipsY = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
    const { x1 = 0, x2 = 0, y1 = 0, y2 = 0 } = clip;
    // Wholly outside the clip: nothing to draw.
    if (clipsX && (x + widestLine(text) < x1 || x > x2)) return;
    if (clipsY && (y + pieces.length < y1 || y > y2)) return;
    if (clipsX) {
      pieces = pieces.map((line) => {
        const from = x < x1 ? x1 - x : 0;
        const width = textWidth.get(line);
        const to = x + width > x2 ? x2 - x : width;
        return sliceAnsi(line, from, to);
      });
      if (x < x1) x = x1;
    }
    if (clipsY) {
      const from = y < y1 ? y1 - y : 0;
      const to = y + pieces.length > y2 ? y2 - y : pieces.length;
      pieces = pieces.slice(from, to);
      if (y < y1) y = y1;
    }
  }
  for (let index = 0; index < pieces.length; index++) {
    // Text taller than the frame is cut.
    const row = rows[y + index];
    if (!row) continue;
    let line = pieces[index] as string;
    for (const transformer of transformers) line = transformer(line, index);
    row.push({ x, text: line });
  }
}
