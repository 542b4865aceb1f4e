import type { Key } from 'ink';
import { type CommandContext, type CommandDef, commandsFor, type KeyBinding } from './registry.js';

function specialPressed(binding: KeyBinding, key: Key): boolean {
  switch (binding.special) {
    case 'up':
      return key.upArrow;
    case 'down':
      return key.downArrow;
    case 'pageUp':
      return key.pageUp;
    case 'pageDown':
      return key.pageDown;
    case 'home':
      return key.home;
    case 'end':
      return key.end;
    case 'escape':
      return key.escape;
    case 'return':
      return key.return;
    case 'tab':
      return key.tab;
    case 'backspace':
      // Terminals send DEL (0x7f) for Backspace; Ink reports it as `delete`.
      return key.backspace || key.delete;
    default:
      return false;
  }
}

export function bindingMatches(binding: KeyBinding, input: string, key: Key): boolean {
  if ((binding.ctrl ?? false) !== key.ctrl) return false;
  if (binding.text) return !key.meta && /^[^\x00-\x1f\x7f]$/u.test(input);
  if (binding.special) return specialPressed(binding, key);
  return binding.input !== undefined && input === binding.input;
}

export type Resolution =
  | { kind: 'run'; command: CommandDef }
  | { kind: 'disabled'; command: CommandDef; reason: string }
  | { kind: 'none' };

/** Which command a key press means here, and whether it may run. */
export function resolveKey(input: string, key: Key, ctx: CommandContext): Resolution {
  for (const command of commandsFor(ctx)) {
    if (!command.keys.some((b) => bindingMatches(b, input, key))) continue;
    const reason = command.disabledReason?.(ctx) ?? null;
    return reason === null ? { kind: 'run', command } : { kind: 'disabled', command, reason };
  }
  return { kind: 'none' };
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/**
 * Keys typed faster than the terminal is read (over SSH above all) reach Ink as one chunk:
 * `j\r` is one "input". Plain characters and Enter are split back into presses, so every key
 * counts; anything else is passed on whole.
 */
export function splitPresses(input: string, key: Key): [string, Key][] {
  if (input.length <= 1 || key.ctrl || key.meta || !/^[\x20-\x7e\r]+$/.test(input)) {
    return [[input, key]];
  }
  return [...input].map((ch) =>
    ch === '\r'
      ? ['', { ...NO_KEY, return: true }]
      : [ch, { ...NO_KEY, shift: ch !== ch.toLowerCase() }],
  );
}
