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
    default:
      return false;
  }
}

export function bindingMatches(binding: KeyBinding, input: string, key: Key): boolean {
  if ((binding.ctrl ?? false) !== key.ctrl) return false;
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
