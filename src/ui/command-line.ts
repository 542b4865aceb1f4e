import { activeCommands, type CommandContext } from './commands/registry.js';
import type { ViewIntent } from './view-state.js';

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

/** What a `:` line comes to: a view intent, a theme to load, or a word for the operator. */
export type CommandLineOutcome =
  | { kind: 'intent'; intent: ViewIntent }
  | { kind: 'theme'; name: string }
  | { kind: 'notice'; text: string };

/**
 * The `:` line as if its key had been pressed: the same command, refused for the same reason
 * where it does not apply or cannot run (`ctx` is the view once the line has closed).
 */
export function commandLineOutcome(text: string, ctx: CommandContext): CommandLineOutcome {
  const parsed = parseCommand(text);
  switch (parsed.kind) {
    case 'unknown':
      return {
        kind: 'notice',
        text: `:${parsed.text}: not a command; try ${COMMAND_WORDS.map((w) => `:${w}`).join(' ')}`,
      };
    case 'screen':
      return { kind: 'intent', intent: { type: 'showScreen', screen: parsed.screen } };
    case 'theme':
      return { kind: 'theme', name: parsed.name };
    default: {
      const id = { pickup: 'ticket.pickup', help: 'help.toggle', quit: 'app.quit' }[parsed.kind];
      const command = activeCommands().find((c) => c.id === id);
      if (!command) return { kind: 'notice', text: `:${parsed.kind}: not available` };
      const reason =
        command.appliesIn?.(ctx) === false ? 'not here' : command.disabledReason?.(ctx);
      return reason
        ? { kind: 'notice', text: `${command.description}: ${reason}` }
        : { kind: 'intent', intent: command.intent };
    }
  }
}
