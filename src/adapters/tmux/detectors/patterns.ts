/**
 * Screen patterns per profile. Only the bottom of the screen is read: agents draw their status
 * line and their questions there, and older output above must not count.
 */
import { lastNonEmptyLines } from './screen.js';

/** How many non-empty lines, counted from the bottom, any pattern may look at. */
export const WINDOW_LINES = 15;
/** Inline prompts (`(y/n)`, `[Y/n]`) wait on the last lines; once answered they scroll up. */
const INLINE = 3;
/** Approval dialogs: the question sits a few lines above the options and the footer. */
const DIALOG = 8;

export interface ScreenPattern {
  readonly re: RegExp;
  /** Matches only within this many non-empty lines from the bottom (default: `WINDOW_LINES`). */
  readonly within?: number;
}

export interface PatternTable {
  /** Shown while the agent works. */
  readonly busy: readonly ScreenPattern[];
  /** Shown while the agent waits for an answer (approval, permission, yes/no). */
  readonly question: readonly ScreenPattern[];
}

/** `Working (12s • esc to interrupt)`, `(esc to interrupt)`, `ctrl+c to interrupt`. */
const COMMON_BUSY: readonly ScreenPattern[] = [
  { re: /\besc to interrupt\b/i },
  { re: /\bctrl\s*\+\s*c to interrupt\b/i },
];

/** Yes/no prompts of any program, and the simulated agent's `Allow command "npm test"? (y/n)`. */
const COMMON_QUESTION: readonly ScreenPattern[] = [
  { re: /\(y\/n\)/i, within: INLINE },
  { re: /\[y\/n\]/i, within: INLINE },
  { re: /\(yes\/no\)/i, within: INLINE },
  { re: /\bAllow command\b.*\?/i, within: INLINE },
];

export const SIM_PATTERNS: PatternTable = {
  busy: COMMON_BUSY,
  question: COMMON_QUESTION,
};

export const CODEX_PATTERNS: PatternTable = {
  busy: COMMON_BUSY,
  question: [
    ...COMMON_QUESTION,
    { re: /\bAllow command\?/i, within: DIALOG },
    { re: /\bWould you like to (run|make|apply|grant|allow)\b/i, within: DIALOG },
    { re: /\bPress enter to confirm or esc to cancel\b/i, within: INLINE },
    { re: /^\W*Approve\b.*(\?|\(y\))/, within: DIALOG },
    { re: /\bDo you want to\b.*\?/i, within: DIALOG },
  ],
};

export const CLAUDE_PATTERNS: PatternTable = {
  busy: COMMON_BUSY,
  question: [
    ...COMMON_QUESTION,
    { re: /\bDo you want to\b.*\?/i, within: DIALOG },
    { re: /❯\s*1\.\s*Yes\b/, within: DIALOG },
    // A line that is the question: `Allow Claude to fetch …?` (not an inline `? (y/n)` prompt).
    { re: /^\W*Allow\b.*\?[\s│|]*$/, within: DIALOG },
  ],
};

export const AIDER_PATTERNS: PatternTable = {
  busy: COMMON_BUSY,
  question: [...COMMON_QUESTION, { re: /\(Y\)es\/\(N\)o/i, within: INLINE }],
};

/** Inline yes/no prompts only: what a program run from a plain shell may ask. */
export const SHELL_PATTERNS: PatternTable = {
  busy: [],
  question: COMMON_QUESTION,
};

/** Every agent's patterns, for panes whose profile is unknown. */
export const GENERIC_PATTERNS: PatternTable = {
  busy: COMMON_BUSY,
  question: dedupe([
    ...CODEX_PATTERNS.question,
    ...CLAUDE_PATTERNS.question,
    ...AIDER_PATTERNS.question,
  ]),
};

function dedupe(patterns: readonly ScreenPattern[]): ScreenPattern[] {
  const seen = new Set<string>();
  return patterns.filter((p) => {
    const key = `${p.re.source}/${p.re.flags}/${p.within ?? WINDOW_LINES}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type ScreenVerdict = 'busy' | 'needs_input';

/**
 * What the bottom of the screen says, or null when no pattern matches. The lowest matching line
 * wins (a question answered before the current work started is above the status line); on the
 * same line a question wins over a busy status.
 */
export function scanScreen(screen: readonly string[], table: PatternTable): ScreenVerdict | null {
  const tail = lastNonEmptyLines(screen, WINDOW_LINES);
  for (let fromBottom = 0; fromBottom < tail.length; fromBottom++) {
    const line = tail[tail.length - 1 - fromBottom] ?? '';
    if (matchesAny(line, fromBottom, table.question)) return 'needs_input';
    if (matchesAny(line, fromBottom, table.busy)) return 'busy';
  }
  return null;
}

function matchesAny(line: string, fromBottom: number, patterns: readonly ScreenPattern[]): boolean {
  return patterns.some((p) => fromBottom < (p.within ?? WINDOW_LINES) && p.re.test(line));
}
