import { cutToWidth, displayWidth } from '../domain/display-width.js';

/** Cuts to at most `width` terminal columns (wide characters count two), marking the cut. */
export function truncateToWidth(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  return `${cutToWidth(text, width - 1)[0]}…`;
}

export function padToWidth(text: string, width: number): string {
  const cut = truncateToWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}
