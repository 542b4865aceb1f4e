import { cutToWidth, displayWidth } from '../../domain/display-width.js';

/**
 * Lines of styled text measured in terminal columns: wrapping and cutting that never split a
 * grapheme or put a wide (CJK, emoji) character across the edge of the line.
 */

export type SegmentStyle = 'bold' | 'code' | 'muted';

export interface Segment {
  text: string;
  style?: SegmentStyle;
}

export interface StyledLine {
  segments: Segment[];
}

export const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts a line to `width` columns, ending a cut line with "…" in the style where it was cut. */
export function truncateLine<S extends Segment>(segments: readonly S[], width: number): S[] {
  if (width <= 0) return [];
  const total = segments.reduce((sum, s) => sum + displayWidth(s.text), 0);
  if (total <= width) return [...segments];
  const out: S[] = [];
  let used = 0;
  for (const segment of segments) {
    const w = displayWidth(segment.text);
    if (used + w <= width - 1) {
      out.push(segment);
      used += w;
      continue;
    }
    const [head] = cutToWidth(segment.text, Math.max(0, width - 1 - used));
    out.push({ ...segment, text: `${head}…` });
    break;
  }
  return out;
}

/** A run of text and the segment it came from, whose style and extra fields it shares. */
interface Piece<S> {
  src: S;
  text: string;
}

/**
 * Word-wraps styled text to `width` columns. Runs of white space become one space; a word wider
 * than the line (a URL, or CJK text, which has no spaces) is broken between characters.
 * Generic so that callers' extra fields (colour tones) ride along with each piece.
 */
export function wrapSegments<S extends Segment>(segments: readonly S[], width: number): S[][] {
  const columns = Math.max(1, width);
  const lines: S[][] = [];
  let line: Piece<S>[] = [];
  let used = 0;
  const push = (src: S, text: string) => {
    const last = line[line.length - 1];
    // Neighbours from one segment (the common case) merge without comparing their fields.
    if (last && (last.src === src || sameExtras(last.src, src))) last.text += text;
    else line.push({ src, text });
    used += displayWidth(text);
  };
  const newLine = () => {
    lines.push(line.map((p) => ({ ...p.src, text: p.text })));
    line = [];
    used = 0;
  };
  for (const word of words(segments)) {
    const w = word.pieces.reduce((sum, p) => sum + displayWidth(p.text), 0);
    const gap = used > 0 ? 1 : 0;
    if (used + gap + w <= columns) {
      if (gap) push(word.space, ' ');
      for (const piece of word.pieces) push(piece.src, piece.text);
      continue;
    }
    // Too long for the line: a word that would fit a line of its own starts one.
    if (w <= columns) {
      newLine();
      for (const piece of word.pieces) push(piece.src, piece.text);
      continue;
    }
    // Wider than any line: fill this line, then as many more as it takes.
    if (used > 0 && used + 2 <= columns) push(word.space, ' ');
    else if (used > 0) newLine();
    for (const piece of word.pieces) {
      let rest = piece.text;
      while (rest) {
        let [head, tail] = cutToWidth(rest, columns - used);
        // A character wider than a whole line still goes somewhere, alone on its line.
        if (!head && used === 0) [head, tail] = [[...rest][0] ?? '', rest.slice(1)];
        if (head) push(piece.src, head);
        rest = tail;
        if (rest) newLine();
      }
    }
  }
  if (line.length > 0 || lines.length === 0) newLine();
  return lines;
}

/** Pieces merge only when nothing but their text differs (e.g. the same colour tone). */
function sameExtras(a: Segment, b: Segment): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].every((key) => key === 'text' || x[key] === y[key]);
}

interface Word<S> {
  /** The segment whose white space came before the word, so a space keeps its style. */
  space: S;
  pieces: Piece<S>[];
}

function words<S extends Segment>(segments: readonly S[]): Word<S>[] {
  const out: Word<S>[] = [];
  let current: Word<S> | null = null;
  let space: S | null = null;
  for (const segment of segments) {
    for (const part of segment.text.split(/(\s+)/)) {
      if (!part) continue;
      if (/^\s/.test(part)) {
        current = null;
        space ??= segment;
        continue;
      }
      if (!current) {
        current = { space: space ?? segment, pieces: [] };
        space = null;
        out.push(current);
      }
      current.pieces.push({ src: segment, text: part });
    }
  }
  return out;
}
