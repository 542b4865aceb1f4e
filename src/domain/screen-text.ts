import { displayWidth, simpleCharWidth } from './display-width.js';
import { CSI_SEQUENCE, LONE_CONTROL, OTHER_ESCAPE, STRING_SEQUENCE } from './sanitize.js';

/**
 * A watched console's lines: pane text that keeps its colours (SGR) and nothing else a terminal
 * would act on, cut to a panel. These run per line per frame, so each has a fast path for the
 * common case (plain ASCII, or a line that fits) and walks characters only when it must.
 */

/** Select Graphic Rendition, 7-bit only: `ESC [` digits, `;` and `:` (colour sub-parameters), `m`. */
const SGR = '\\x1b\\[[0-9;:]*m';
const SGR_ALL = new RegExp(SGR, 'g');
const RESET = '\x1b[0m';
const MARK = '›';

// SGR first: at a given position the first alternative that matches wins, so an SGR is kept
// (group 1) before the general CSI pattern could take it. The 8-bit CSI form (0x9b) is dropped
// with the rest rather than converted: tmux never writes it, and a terminal reading UTF-8 may
// not honour it anyway, so it can only be noise or a trick.
const NOT_SGR = new RegExp(
  `(${SGR})|${STRING_SEQUENCE}|${CSI_SEQUENCE}|${OTHER_ESCAPE}|${LONE_CONTROL}|[\\t\\n]`,
  'g',
);
const NEEDS_WORK = new RegExp(`${LONE_CONTROL}|[\\t\\n]`);
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/**
 * Removes every terminal sequence but SGR, and every unsafe control character (as `sanitize`
 * does). A tab or line break becomes one space: a screen line is one row.
 */
export function keepSgr(line: string): string {
  // Most lines are clean, or hold nothing but SGR: return those as they are, uncopied.
  if (!NEEDS_WORK.test(line)) return line;
  if (line.includes('\x1b') && !NEEDS_WORK.test(line.replace(SGR_ALL, ''))) return line;
  return line.replace(NOT_SGR, (match: string, sgr: string | undefined) =>
    sgr !== undefined ? sgr : match === '\t' || match === '\n' ? ' ' : '',
  );
}

function isReset(sgr: string): boolean {
  return /^\x1b\[0*m$/.test(sgr);
}

/** Widths by grapheme: string-width costs microseconds a call, a screen has thousands. */
const widths = new Map<string, number>();

function unitWidth(unit: string): number {
  let width = widths.get(unit);
  if (width === undefined) {
    width = displayWidth(unit);
    if (widths.size >= 10_000) widths.clear();
    widths.set(unit, width);
  }
  return width;
}

/** How much of a run of text (no SGR) fits in `limit` columns: UTF-16 length and width. */
function fitRun(run: string, limit: number): { length: number; width: number } {
  let i = 0;
  let width = 0;
  while (i < run.length) {
    const code = run.charCodeAt(i);
    // A character that is not simple (a mark, a joiner, jamo, an emoji, a surrogate): the run is
    // measured by grapheme from its start.
    const w = simpleCharWidth(code);
    if (w < 0) return fitGraphemes(run, limit);
    if (width + w > limit) break;
    width += w;
    i += 1;
  }
  return { length: i, width };
}

function fitGraphemes(run: string, limit: number): { length: number; width: number } {
  let length = 0;
  let width = 0;
  for (const { segment } of segmenter.segment(run)) {
    const w = unitWidth(segment);
    if (width + w > limit) break;
    width += w;
    length += segment.length;
  }
  return { length, width };
}

function runWidth(run: string): number {
  return fitRun(run, Number.POSITIVE_INFINITY).width;
}

/** The display width of a line of text and SGR codes. */
export function styledWidth(line: string): number {
  if (!line.includes('\x1b')) return runWidth(line);
  return runWidth(line.replace(SGR_ALL, ''));
}

export interface CroppedLine {
  text: string;
  /** Visible text was cut off: the last column holds `›`. */
  cut: boolean;
}

/**
 * Crops a line (text and SGR codes) to `width` columns. A cut line keeps its first `width - 1`
 * columns and the SGR codes among them, is reset (`ESC[0m`) when cut inside styling, and ends
 * with `›` in the last column (after a space when a wide character would straddle it).
 */
export function cropStyled(line: string, width: number): CroppedLine {
  if (!line.includes('\x1b')) {
    if (PLAIN_ASCII.test(line)) {
      if (line.length <= width) return { text: line, cut: false };
      return width <= 0
        ? { text: '', cut: true }
        : { text: line.slice(0, width - 1) + MARK, cut: true };
    }
  }
  if (styledWidth(line) <= width) return { text: line, cut: false };
  if (width <= 0) return { text: '', cut: true };
  return { text: cutAt(line, width - 1), cut: true };
}

/** The first `columns` columns of a line known to be wider, closed and marked. */
function cutAt(line: string, columns: number): string {
  let out = '';
  let used = 0;
  let styled = false;
  let at = 0;
  const take = (run: string): boolean => {
    const { length, width } = fitRun(run, columns - used);
    out += run.slice(0, length);
    used += width;
    return length === run.length;
  };
  let full = false;
  for (const match of line.matchAll(SGR_ALL)) {
    const index = match.index ?? 0;
    if (index > at && !take(line.slice(at, index))) {
      full = true;
      break;
    }
    out += match[0];
    styled = !isReset(match[0]);
    at = index + match[0].length;
  }
  if (!full && at < line.length) take(line.slice(at));
  // The mark goes unstyled, after a space where a wide character did not fit.
  return `${out}${styled ? RESET : ''}${' '.repeat(columns - used)}${MARK}`;
}

export interface CroppedScreen {
  lines: string[];
  /** Some line was cut on the right. */
  cutRight: boolean;
  /** Lines with visible text lie below `height` (blank rows below do not count). */
  cutBottom: boolean;
}

/** The top-left `width` × `height` of a screen of styled lines. */
export function cropScreen(lines: readonly string[], width: number, height: number): CroppedScreen {
  const shown = lines.slice(0, Math.max(0, height));
  let cutRight = false;
  const out = shown.map((line) => {
    const cropped = cropStyled(line, width);
    if (cropped.cut) cutRight = true;
    return cropped.text;
  });
  const cutBottom = lines.slice(shown.length).some((line) => line.replace(SGR_ALL, '') !== '');
  return { lines: out, cutRight, cutBottom };
}

/** An SGR state: one code per attribute slot, so a long run of colour changes stays short. */
type SgrState = Map<string, string>;

const SET: Record<string, string> = {
  '1': 'bold',
  '2': 'dim',
  '3': 'italic',
  '4': 'underline',
  '21': 'underline',
  '5': 'blink',
  '6': 'blink',
  '7': 'inverse',
  '8': 'hidden',
  '9': 'strike',
  '53': 'overline',
};
const UNSET: Record<string, string[]> = {
  '22': ['bold', 'dim'],
  '23': ['italic'],
  '24': ['underline'],
  '25': ['blink'],
  '27': ['inverse'],
  '28': ['hidden'],
  '29': ['strike'],
  '55': ['overline'],
  '39': ['fg'],
  '49': ['bg'],
  '59': ['ul'],
};
const COLOUR_SLOT: Record<string, string> = { '38': 'fg', '48': 'bg', '58': 'ul' };

function applySgr(state: SgrState, params: string): void {
  const parts = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const head = part.split(':')[0] as string;
    const code = head === '' ? '0' : String(Number(head));
    if (code === '0') state.clear();
    else if (COLOUR_SLOT[code] && part.includes(':')) state.set(COLOUR_SLOT[code], part);
    else if (COLOUR_SLOT[code]) {
      // `38;5;n` and `38;2;r;g;b`: the colour's parameters follow as parameters of their own.
      const extra = parts[i + 1] === '5' ? 2 : parts[i + 1] === '2' ? 4 : 0;
      state.set(COLOUR_SLOT[code], parts.slice(i, i + 1 + extra).join(';'));
      i += extra;
    } else if (code === '4' && part.includes(':') && part.endsWith(':0')) state.delete('underline');
    else if (SET[code]) state.set(SET[code], part);
    else if (UNSET[code]) for (const slot of UNSET[code]) state.delete(slot);
    else if (/^(3[0-7]|9[0-7])$/.test(code)) state.set('fg', code);
    else if (/^(4[0-7]|10[0-7])$/.test(code)) state.set('bg', code);
  }
}

/**
 * Makes each line carry its own styling. `capture-pane -e` writes only changes, carried across
 * lines (a line may start in the colour the line above ended in, and end without a reset), but a
 * panel shows, crops and scrolls lines one by one: each line here opens with the SGR in force
 * where it starts, and ends with a reset when styling is still on.
 */
export function styleLines(lines: readonly string[]): string[] {
  const state: SgrState = new Map();
  return lines.map((line) => {
    const open = state.size > 0 ? `\x1b[${[...state.values()].join(';')}m` : '';
    if (!line.includes('\x1b')) return open && line ? `${open}${line}${RESET}` : line;
    for (const match of line.matchAll(SGR_ALL)) applySgr(state, match[0].slice(2, -1));
    const text = open + line;
    return state.size > 0 ? text + RESET : text;
  });
}
