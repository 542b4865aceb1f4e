import { displayWidth, simpleCharWidth } from '../domain/display-width.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts to at most `width` terminal columns (wide characters count two), marking the cut. */
export function truncateToWidth(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  return `${simpleCut(text, width - 1) ?? graphemeCut(text, width - 1)}…`;
}

/**
 * The longest head of `text` no wider than `room` when it is made of characters that are each a
 * grapheme of their own (most titles): counted by character, without the segmenter. Null when a
 * character up to the cut, or the one after it, needs the segmenter.
 */
function simpleCut(text: string, room: number): string | null {
  let used = 0;
  for (let i = 0; i < text.length; i += 1) {
    const w = simpleCharWidth(text.charCodeAt(i));
    if (w < 0) return null;
    if (used + w > room) return text.slice(0, i);
    used += w;
  }
  return text;
}

function graphemeCut(text: string, room: number): string {
  let used = 0;
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return out;
}

export function padToWidth(text: string, width: number): string {
  const cut = truncateToWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}
