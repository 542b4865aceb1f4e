/**
 * Where each agent's input line is, and what is typed in it. Every reader takes the plain screen
 * (to find the line by its frame and prompt) and the solid one (the same screen with faint
 * placeholder text blanked, `faint.ts`; the plain one again when no styled capture was made) to
 * read the text from. `''` is an empty input line; null means the screen does not show one the
 * reader knows, and so cannot tell. Pure.
 */

/** The text the agent shows in an empty input line, as a plain capture has it (no styling). */
export interface InputShape {
  /** Hints the agent shows in an empty input line: counted as empty. */
  readonly placeholders: readonly RegExp[];
}

export type InputReader = (plain: readonly string[], solid: readonly string[]) => string | null;

/** The screen without the blank rows below the last line that holds anything. */
function withoutBlankTail(screen: readonly string[]): number {
  let end = screen.length;
  while (end > 0 && (screen[end - 1] ?? '').trim() === '') end--;
  return end;
}

/** The text after index `from` of a solid line, trailing blanks off. */
function after(solid: readonly string[], row: number, from: number): string {
  return (solid[row] ?? '').slice(from).trimEnd();
}

/** Joined lines of input, the leading blank and trailing blank lines off; a placeholder is ''. */
function finish(lines: readonly string[], shape: InputShape): string {
  const text = lines
    .join('\n')
    .replace(/^\s*\n/, '')
    .trim();
  return shape.placeholders.some((p) => p.test(text)) ? '' : text;
}

/** A horizontal border: a rule of `─`, or a box's top or bottom edge. */
const BORDER = /^\s*[╭╰]?─{3,}/;
/**
 * The prompt that opens Claude Code's input: `>` (1.x, in a box), `❯` (2.x); or the mode a
 * typed `!` (bash) or `#` (memory) switched it to, which is typed input even with nothing after
 * it: a prompt pasted there would run as a command, or be saved as a memory.
 */
const CLAUDE_PROMPT = /^([>❯]|[!#])(?: |$)/;
/** How far above the bottom the input's lower border may be (the footer lies below it). */
const FOOTER_ROWS = 8;

/**
 * Claude Code's input: framed by two borders above its footer, either a box (`╭─╮`,
 * `│ > text │`, `╰─╯`, 1.x) or two rules (`───`, `❯ text`, `───`, 2.x). The lines between
 * them are the input; the first starts with the prompt, the rest are indented under it.
 */
export function claudeInput(shape: InputShape): InputReader {
  return (plain, solid) => {
    const end = withoutBlankTail(plain);
    let bottom = -1;
    for (let row = end - 1; row >= Math.max(0, end - FOOTER_ROWS); row--) {
      if (BORDER.test(plain[row] ?? '')) {
        bottom = row;
        break;
      }
    }
    if (bottom <= 0) return null;
    let top = -1;
    for (let row = bottom - 1; row >= 0; row--) {
      if (BORDER.test(plain[row] ?? '')) {
        top = row;
        break;
      }
    }
    if (top === -1 || top === bottom - 1) return null;
    const lines: string[] = [];
    for (let row = top + 1; row < bottom; row++) {
      const line = plain[row] ?? '';
      // In a box, the text sits between `│ ` and ` │`; the same columns of the solid line.
      const boxed = /^(\s*│ ?)/.exec(line);
      const start = boxed ? (boxed[1] as string).length : 0;
      let text = after(solid, row, start);
      if (boxed) text = text.replace(/\s*│\s*$/, '');
      if (row === top + 1) {
        const prompt = CLAUDE_PROMPT.exec(line.slice(start));
        if (!prompt) return null;
        const mode = prompt[1] === '!' || prompt[1] === '#' ? `${prompt[1]} ` : '';
        text = mode + text.slice(prompt[0].length);
      } else {
        text = text.replace(/^ {1,2}/, '');
      }
      lines.push(text);
    }
    return finish(lines, shape);
  };
}

/** Codex's composer prompt: `›` (0.4x on), `»`, or the bar `▌` of older versions. */
const CODEX_PROMPT = /^(\s*)([›»▌])(?: |$)/;
/** How many lines above the bottom the composer's first line may be (footer, a tall draft). */
const CODEX_WINDOW = 20;

/**
 * Codex's composer: the lowest line opening with its prompt (history above it shows older
 * prompts the same way, never below), and the lines under it up to the first blank line, which
 * sets the footer apart.
 */
export function codexInput(shape: InputShape): InputReader {
  return (plain, solid) => {
    const end = withoutBlankTail(plain);
    for (let row = end - 1; row >= Math.max(0, end - CODEX_WINDOW); row--) {
      let prompt = CODEX_PROMPT.exec(plain[row] ?? '');
      if (!prompt) continue;
      // The bar marks every line of the old composer: its first line is the top of the block.
      while (prompt[2] === '▌' && row > 0) {
        const above = CODEX_PROMPT.exec(plain[row - 1] ?? '');
        if (above?.[2] !== '▌') break;
        prompt = above;
        row--;
      }
      // `› 1. Yes, proceed`: the selection of an approval list, not the composer.
      if (/^\d+\. /.test((plain[row] ?? '').slice(prompt[0].length))) return null;
      const lines = [after(solid, row, prompt[0].length)];
      for (let next = row + 1; next < end; next++) {
        const line = plain[next] ?? '';
        if (line.trim() === '') break;
        // The old composer marks each of its lines with the bar; the new one indents them.
        const bar = /^\s*▌ ?/.exec(line);
        if (prompt[2] === '▌' && !bar) break;
        lines.push(after(solid, next, bar ? bar[0].length : 0).replace(/^ {1,2}/, ''));
      }
      return finish(lines, shape);
    }
    return null;
  };
}

/** Aider's prompt: `> `, or the edit format's name before it (`architect> `, `ask> `). */
const AIDER_PROMPT = /^([a-z-]*>)(?: |$)/;

/** Aider (prompt_toolkit): the prompt is the last line; a line being typed follows it. */
export function aiderInput(shape: InputShape): InputReader {
  return (plain, solid) => {
    const end = withoutBlankTail(plain);
    const row = end - 1;
    const prompt = AIDER_PROMPT.exec(plain[row] ?? '');
    if (!prompt) return null;
    return finish([after(solid, row, prompt[0].length)], shape);
  };
}

/**
 * The simulated agent: its input line is the screen's last row, `› ` and the text (long pastes
 * shown as `[Pasted text: N lines, M chars]`).
 */
export function simInput(shape: InputShape): InputReader {
  return (plain, solid) => {
    const end = withoutBlankTail(plain);
    const row = end - 1;
    const prompt = /^› ?/.exec(plain[row] ?? '');
    if (!prompt || row < 0) return null;
    return finish([after(solid, row, prompt[0].length)], shape);
  };
}

/** Claude Code's hint in an empty input: `Try "fix lint errors"`. */
export const CLAUDE_PLACEHOLDERS: readonly RegExp[] = [/^try "[^"\n]*"$/i];

/** Codex's hints in an empty composer, across versions. */
export const CODEX_PLACEHOLDERS: readonly RegExp[] = [
  /^Ask Codex to do anything$/,
  /^Explain this codebase$/,
  /^Summarize recent commits$/,
  /^Implement \{feature\}$/,
  /^Find and fix a bug in @filename$/,
  /^Write tests for @filename$/,
  /^Improve documentation in @filename$/,
  /^Run \/review on my current changes$/,
  /^Use \/skills to list available skills$/,
];
