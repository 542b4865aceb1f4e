/**
 * The `:` command line: what can be typed, how Tab completes it, and what it means. Pure, so
 * completion and parsing are tested without a screen.
 */

export const COMMAND_WORDS = ['tickets', 'runtimes', 'pickup', 'theme', 'help', 'quit'] as const;

export type CommandLine =
  | { kind: 'screen'; screen: 'tickets' | 'runtimes' }
  | { kind: 'pickup' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'theme'; name: string }
  | { kind: 'unknown'; text: string };

/** What the text so far could become: command words, or theme names after `theme `. */
export function candidates(text: string, themeNames: readonly string[]): string[] {
  const trimmed = text.trimStart();
  const themed = /^theme\s+(\S*)$/.exec(trimmed);
  if (themed) {
    const prefix = themed[1] ?? '';
    return themeNames.filter((n) => n.startsWith(prefix)).map((n) => `theme ${n}`);
  }
  if (/\s/.test(trimmed)) return [];
  return COMMAND_WORDS.filter((w) => w.startsWith(trimmed)).map((w) =>
    w === 'theme' ? 'theme ' : w,
  );
}

/** Tab: the longest text every candidate starts with (the whole word when only one fits). */
export function complete(text: string, themeNames: readonly string[]): string {
  const all = candidates(text, themeNames);
  const first = all[0];
  if (first === undefined) return text;
  let common = first;
  for (const c of all.slice(1)) {
    while (!c.startsWith(common)) common = common.slice(0, -1);
  }
  return common.length > text.trimStart().length ? common : text;
}

export function parseCommand(text: string): CommandLine {
  const [word = '', ...rest] = text.trim().split(/\s+/);
  // A unique prefix is enough (`:run` is `:runtimes`), as in k9s.
  const matches = COMMAND_WORDS.filter((w) => w.startsWith(word));
  const exact = COMMAND_WORDS.find((w) => w === word);
  const chosen = exact ?? (word !== '' && matches.length === 1 ? matches[0] : undefined);
  switch (chosen) {
    case 'tickets':
    case 'runtimes':
      return { kind: 'screen', screen: chosen };
    case 'pickup':
      return { kind: 'pickup' };
    case 'help':
      return { kind: 'help' };
    case 'quit':
      return { kind: 'quit' };
    case 'theme':
      return rest[0] ? { kind: 'theme', name: rest[0] } : { kind: 'unknown', text: text.trim() };
    default:
      return word === 'q' ? { kind: 'quit' } : { kind: 'unknown', text: text.trim() };
  }
}
