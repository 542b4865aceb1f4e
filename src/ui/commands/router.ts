import type { Key } from 'ink';
import { sanitize } from '../../domain/sanitize.js';
import type { KeyPress } from '../input/key-press.js';
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

/**
 * What a typing mode takes: one printable grapheme, or a paste (already made one-line). Not a
 * control character, an escape or a bidi override (sanitize.ts), nor a chord with Ctrl or Alt.
 */
function typesText(press: KeyPress): boolean {
  const { input, key } = press;
  if (key.ctrl || key.meta || input === '' || sanitize(input) !== input) return false;
  return press.paste === true || !/[\t\n]/.test(input);
}

export function bindingMatches(binding: KeyBinding, press: KeyPress): boolean {
  // A paste is text only: a pasted `q` never quits, a pasted `j` never moves.
  if (binding.text) return typesText(press);
  if (press.paste) return false;
  const { input, key } = press;
  if ((binding.ctrl ?? false) !== key.ctrl) return false;
  if (binding.special) return specialPressed(binding, key);
  return binding.input !== undefined && input === binding.input;
}

export type Resolution =
  | { kind: 'run'; command: CommandDef }
  | { kind: 'disabled'; command: CommandDef; reason: string }
  | { kind: 'none' };

/** Which command a key press means here, and whether it may run. */
export function resolveKey(press: KeyPress, ctx: CommandContext): Resolution {
  for (const command of commandsFor(ctx)) {
    if (!command.keys.some((b) => bindingMatches(b, press))) continue;
    const reason = command.disabledReason?.(ctx) ?? null;
    return reason === null ? { kind: 'run', command } : { kind: 'disabled', command, reason };
  }
  return { kind: 'none' };
}
