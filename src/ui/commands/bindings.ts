import { COMMANDS, type CommandDef, type KeyBinding, type SpecialKey } from './registry.js';

/** Key names the config file may use, beside single printable characters. */
const NAMED: Record<string, SpecialKey> = {
  up: 'up',
  down: 'down',
  pgup: 'pageUp',
  pageup: 'pageUp',
  pgdn: 'pageDown',
  pagedown: 'pageDown',
  home: 'home',
  end: 'end',
  esc: 'escape',
  escape: 'escape',
  enter: 'return',
  return: 'return',
  tab: 'tab',
  backspace: 'backspace',
};

/** `j`, `G`, `?`, `down`, `pgdn`, `enter`, `ctrl+c`: one key as the config file writes it. */
export function parseKey(text: string): KeyBinding | null {
  const ctrl = /^ctrl[+-]/i.test(text);
  const rest = ctrl ? text.slice(5) : text;
  const named = NAMED[rest.toLowerCase()];
  if (named) return ctrl ? { special: named, ctrl } : { special: named };
  if (rest === 'space') return ctrl ? { input: ' ', ctrl } : { input: ' ' };
  if ([...rest].length !== 1 || /[\x00-\x1f\x7f]/.test(rest)) return null;
  return ctrl ? { input: rest.toLowerCase(), ctrl } : { input: rest };
}

export interface Rebinding {
  commands: CommandDef[];
  /** What was wrong, naming the command and key: reported, and the default kept. */
  problems: string[];
}

/** A bad `keys:` entry: where in the config file (`keys`, the command id, the key's index). */
export interface KeyIssue {
  path: (string | number)[];
  message: string;
  /** The command id itself is the problem. */
  unknownKey?: boolean;
}

/** What is wrong with the config file's `keys:` (`command id: [keys]`); none when all is well. */
export function keyIssues(overrides: Readonly<Record<string, readonly string[]>>): KeyIssue[] {
  const issues: KeyIssue[] = [];
  const byId = new Map(COMMANDS.map((c) => [c.id, c]));
  for (const [id, wanted] of Object.entries(overrides)) {
    const command = byId.get(id);
    if (!command) {
      issues.push({
        path: ['keys', id],
        message: "no such command (see the README's key table)",
        unknownKey: true,
      });
    } else if (command.keys.some((k) => k.text)) {
      issues.push({
        path: ['keys', id],
        message: 'this command takes any typed key and cannot be rebound',
      });
    } else {
      wanted.forEach((text, index) => {
        if (parseKey(text)) return;
        issues.push({
          path: ['keys', id, index],
          message: `"${text}" is not a key (e.g. j, G, ?, down, pgdn, enter, esc, ctrl+c)`,
        });
      });
    }
  }
  return issues;
}

/**
 * The registry with the config file's `keys:` applied (`command id: [keys]`). A bad entry
 * (which the config's check refuses at start) leaves that command's default keys.
 */
export function rebind(overrides: Readonly<Record<string, readonly string[]>>): Rebinding {
  const problems = keyIssues(overrides).map(
    (issue) => `${issue.path.slice(0, 2).join('.')}: ${issue.message}`,
  );
  const commands = COMMANDS.map((command) => {
    const wanted = overrides[command.id];
    if (!wanted || command.keys.some((k) => k.text)) return command;
    const keys = wanted.flatMap((text) => parseKey(text) ?? []);
    return keys.length === 0 ? command : { ...command, keys };
  });
  return { commands, problems };
}
