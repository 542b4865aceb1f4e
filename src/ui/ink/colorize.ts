import chalk, { type ChalkInstance } from 'chalk';

/**
 * Ink 6.8's `colorize` (ink/build/colorize.js), with each colour's chalk function made once. Ink
 * calls it for every coloured text of every frame, and `chalk.hex(colour)` builds a new styled
 * function each time (a prototype swap and a colour conversion): on a first frame of a full
 * table that was ~10 ms of cold code. The bundle uses this in its place
 * (scripts/ink-output-swap.mjs); test/unit/ui/ink-colorize.test.ts holds the two equal.
 */

type ColorType = 'foreground' | 'background';
type Style = (text: string) => string;

const RGB = /^rgb\(\s?(\d+),\s?(\d+),\s?(\d+)\s?\)$/;
const ANSI256 = /^ansi256\(\s?(\d+)\s?\)$/;
const unstyled: Style = (text) => text;

/** Colours come from themes, so there are few; the bound is for safety, not for reuse. */
const CACHE_LIMIT = 1_000;
const styles = new Map<string, Style>();

/** Ink's choice of chalk function for a colour, as its colorize makes it. */
function styleOf(color: string, type: ColorType): Style {
  const fg = type === 'foreground';
  if (color in chalk) {
    const name = fg ? color : `bg${color[0]?.toUpperCase()}${color.slice(1)}`;
    const style = (chalk as unknown as Record<string, unknown>)[name];
    // Ink would throw calling a non-function; a theme cannot name one (it is validated).
    return typeof style === 'function' ? (style as ChalkInstance) : unstyled;
  }
  if (color.startsWith('#')) return fg ? chalk.hex(color) : chalk.bgHex(color);
  if (color.startsWith('ansi256')) {
    const match = ANSI256.exec(color);
    if (!match) return unstyled;
    const value = Number(match[1]);
    return fg ? chalk.ansi256(value) : chalk.bgAnsi256(value);
  }
  if (color.startsWith('rgb')) {
    const match = RGB.exec(color);
    if (!match) return unstyled;
    const [r, g, b] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return fg ? chalk.rgb(r, g, b) : chalk.bgRgb(r, g, b);
  }
  return unstyled;
}

export default function colorize(text: string, color: string | undefined, type: ColorType): string {
  if (!color) return text;
  // chalk fixes a hex or rgb colour's escape codes at its level when the function is made.
  const key = `${chalk.level}${type === 'foreground' ? 'f' : 'b'}${color}`;
  let style = styles.get(key);
  if (style === undefined) {
    if (styles.size >= CACHE_LIMIT) styles.clear();
    style = styleOf(color, type);
    styles.set(key, style);
  }
  return style(text);
}
