import type { CommandContext, CommandDef, KeyBinding, SpecialKey } from './command-types.js';
import { RUNTIME_COMMANDS } from './runtime-commands.js';
import { SCREEN_COMMANDS } from './screen-commands.js';
import { TYPING_COMMANDS } from './typing-commands.js';

export type {
  CommandCategory,
  CommandContext,
  CommandDef,
  KeyBinding,
  SpecialKey,
} from './command-types.js';

/**
 * The one command registry. The input router, the footer, the `?` overlay and the README's key
 * table are all derived from it; views never compare raw keys. Order is priority: a key runs the
 * first command that applies, so the typing modes' table comes first.
 */
export const COMMANDS: readonly CommandDef[] = [
  ...TYPING_COMMANDS,
  ...RUNTIME_COMMANDS,
  ...SCREEN_COMMANDS,
];

const SPECIAL_LABELS: Record<SpecialKey, string> = {
  up: '↑',
  down: '↓',
  pageUp: 'PgUp',
  pageDown: 'PgDn',
  home: 'Home',
  end: 'End',
  escape: 'Esc',
  return: 'Enter',
  backspace: 'Backspace',
  tab: 'Tab',
};

export function keyLabel(binding: KeyBinding): string {
  if (binding.text) return 'any key';
  const base = binding.special ? SPECIAL_LABELS[binding.special] : (binding.input ?? '');
  return binding.ctrl ? `Ctrl-${base.toUpperCase()}` : base;
}

export function keysLabel(command: CommandDef): string {
  return command.keys.map(keyLabel).join('/');
}

/** The table in force: the defaults, or the defaults with the config file's keys (bindings.ts). */
let active: readonly CommandDef[] = COMMANDS;

export function activeCommands(): readonly CommandDef[] {
  return active;
}

/** Set once, before the screen opens; tests put the defaults back. */
export function setActiveCommands(commands: readonly CommandDef[]): void {
  active = commands;
}

export function commandsFor(ctx: CommandContext): CommandDef[] {
  // While "quit anyway?" is asked, only its answers apply.
  if (ctx.view.confirmQuit) {
    return active.filter((c) => c.id === 'app.quitAnyway' || c.id === 'app.stay');
  }
  return active.filter((c) => c.appliesIn?.(ctx) ?? true);
}

/** The README's key table, generated so it cannot drift from the registry. */
export function keyTableMarkdown(): string {
  const rows = COMMANDS.map(
    (c) =>
      `| ${keysLabel(c).replace(/\|/g, '\\|')} | ${c.description} | ${c.category} | \`${c.id}\` |`,
  );
  return ['| keys | does | category | command |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
