import chalk from 'chalk';
import colorize from '../ink/colorize.js';

/** The styles a nested Ink Text applies, by the same props. */
export interface Paint {
  color?: string | undefined;
  backgroundColor?: string | undefined;
  dimColor?: boolean;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  inverse?: boolean;
}

/**
 * `text` styled exactly as an Ink 6.8 `<Text {...paint}>` nested in another Text styles it (Ink's
 * Text transform: the same calls in the same order, colours through Ink's colorize). A run of
 * painted pieces in one Text draws the same bytes as a Text of nested Texts, without a React
 * component per piece: a table row of nine cells is one component. Colours still come from the
 * theme's tokens, passed in by the caller. Not for text inside a Box with a background colour
 * (a nested Text would inherit it).
 */
export function paint(text: string, p: Paint): string {
  // Ink styles no empty text (squash-text-nodes skips its transform).
  if (text.length === 0) return text;
  let out = text;
  if (p.dimColor) out = chalk.dim(out);
  if (p.color) out = colorize(out, p.color, 'foreground');
  if (p.backgroundColor) out = colorize(out, p.backgroundColor, 'background');
  if (p.bold) out = chalk.bold(out);
  if (p.italic) out = chalk.italic(out);
  if (p.underline) out = chalk.underline(out);
  if (p.strikethrough) out = chalk.strikethrough(out);
  if (p.inverse) out = chalk.inverse(out);
  return out;
}
