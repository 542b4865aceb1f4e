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

/**
 * The registry with the config file's `keys:` applied (`command id: [keys]`). A bad entry is
 * reported and leaves that command's default keys: a typo never costs the operator a key.
 */
export function rebind(overrides: Readonly<Record<string, readonly string[]>>): Rebinding {
  const problems: string[] = [];
  const known = new Set(COMMANDS.map((c) => c.id));
  for (const id of Object.keys(overrides)) {
    if (!known.has(id)) problems.push(`keys.${id}: no such command (see the README's key table)`);
  }
  const commands = COMMANDS.map((command) => {
    const wanted = overrides[command.id];
    if (!wanted) return command;
    if (command.keys.some((k) => k.text)) {
      problems.push(`keys.${command.id}: this command takes any typed key and cannot be rebound`);
      return command;
    }
    const keys: KeyBinding[] = [];
    for (const text of wanted) {
      const key = parseKey(text);
      if (key) keys.push(key);
      else
        problems.push(
          `keys.${command.id}: "${text}" is not a key (e.g. j, G, ?, down, pgdn, enter, esc, ctrl+c)`,
        );
    }
    if (keys.length === 0) return command;
    return { ...command, keys };
  });
  return { commands, problems };
}
