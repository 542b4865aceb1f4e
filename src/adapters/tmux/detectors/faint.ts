/**
 * Placeholder text. Agents show a hint in an empty input line (`Try "fix lint errors"`, `Find
 * and fix a bug in @filename`) or a suggested next prompt, drawn faint (SGR 2) or grey, and a
 * plain capture cannot tell it from text the operator typed. From a styled capture
 * (`capture-pane -e`), this blanks such text, one space per UTF-16 unit, so that a solid line
 * lines up index for index with the plain one, and a detector finds the input line on the plain
 * screen and reads its text off the solid one. Pure.
 */
import { sanitize } from '../../../domain/sanitize.js';

const SGR = /\x1b\[([0-9;:]*)m/g;

interface Pen {
  dim: boolean;
  grey: boolean;
  inverse: boolean;
}

/** A 256-colour grey (the dark end of the ramp, and colour 8) or an RGB grey of middle lightness. */
function isGreyColour(params: readonly string[]): boolean {
  if (params[0] === '5') {
    const n = Number(params[1]);
    return n === 8 || (n >= 232 && n <= 249);
  }
  if (params[0] === '2') {
    const [r, g, b] = params.slice(1, 4).map(Number) as [number, number, number];
    const spread = Math.max(r, g, b) - Math.min(r, g, b);
    return spread <= 24 && Math.max(r, g, b) >= 0x40 && Math.max(r, g, b) <= 0xb8;
  }
  return false;
}

function apply(pen: Pen, params: string): void {
  const parts = params === '' ? ['0'] : params.split(/[;:]/);
  for (let i = 0; i < parts.length; i++) {
    const code = Number(parts[i] === '' ? '0' : parts[i]);
    if (code === 0) Object.assign(pen, { dim: false, grey: false, inverse: false });
    else if (code === 2) pen.dim = true;
    else if (code === 22) pen.dim = false;
    else if (code === 7) pen.inverse = true;
    else if (code === 27) pen.inverse = false;
    else if (code === 90) pen.grey = true;
    else if ((code >= 30 && code <= 37) || code === 39 || (code >= 91 && code <= 97)) {
      pen.grey = false;
    } else if (code === 38) {
      const extra = parts[i + 1] === '5' ? 2 : parts[i + 1] === '2' ? 4 : 0;
      pen.grey = isGreyColour(parts.slice(i + 1, i + 1 + extra));
      i += extra;
    } else if (code === 48 || code === 58) {
      i += parts[i + 1] === '5' ? 2 : parts[i + 1] === '2' ? 4 : 0;
    }
  }
}

interface Run {
  text: string;
  faint: boolean;
  inverse: boolean;
}

/**
 * The screen with faint and grey text blanked. The pen carries from line to line, as
 * `capture-pane -e` writes only changes. An agent that draws its own cursor draws it inverse on
 * the placeholder's first character: a single inverse character right before faint text is part
 * of the placeholder.
 */
export function solidScreen(styled: readonly string[]): string[] {
  const pen: Pen = { dim: false, grey: false, inverse: false };
  return styled.map((line) => {
    const runs: Run[] = [];
    let at = 0;
    const push = (raw: string) => {
      const text = sanitize(raw);
      if (text !== '') runs.push({ text, faint: pen.dim || pen.grey, inverse: pen.inverse });
    };
    for (const match of line.matchAll(SGR)) {
      push(line.slice(at, match.index));
      apply(pen, match[1] ?? '');
      at = (match.index ?? 0) + match[0].length;
    }
    push(line.slice(at));
    return runs
      .map((run, i) => {
        const next = runs[i + 1];
        const cursor =
          run.inverse && !run.faint && [...run.text].length === 1 && next?.faint === true;
        return run.faint || cursor ? ' '.repeat(run.text.length) : run.text;
      })
      .join('');
  });
}
