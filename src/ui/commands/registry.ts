import type { ViewIntent, ViewState } from '../view-state.js';

/**
 * The one command registry. The input router, the footer, the `?` overlay and the README's key
 * table are all derived from it; views never compare raw keys.
 */

export type SpecialKey =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'escape'
  | 'return';

export interface KeyBinding {
  /** A printable key, as typed (`j`, `G`, `?`). */
  input?: string;
  special?: SpecialKey;
  ctrl?: boolean;
}

export interface CommandContext {
  view: ViewState;
  ticketCount: number;
}

export type CommandCategory = 'Navigation' | 'Views' | 'Application';

export interface CommandDef {
  id: string;
  description: string;
  category: CommandCategory;
  keys: readonly KeyBinding[];
  intent: ViewIntent;
  /** Shown in the footer of the views where it applies. */
  footer: boolean;
  /** Where the command applies at all; elsewhere its keys mean nothing. */
  appliesIn?: (ctx: CommandContext) => boolean;
  /** Why it cannot run now, or null when it can. */
  disabledReason?: (ctx: CommandContext) => string | null;
}

const needsTickets = (ctx: CommandContext) => (ctx.ticketCount === 0 ? 'no tickets yet' : null);
const inList = (ctx: CommandContext) => !ctx.view.helpOpen;

export const COMMANDS: readonly CommandDef[] = [
  {
    id: 'list.down',
    description: 'move down',
    category: 'Navigation',
    keys: [{ input: 'j' }, { special: 'down' }],
    intent: { type: 'move', by: 1 },
    footer: true,
    appliesIn: inList,
    disabledReason: needsTickets,
  },
  {
    id: 'list.up',
    description: 'move up',
    category: 'Navigation',
    keys: [{ input: 'k' }, { special: 'up' }],
    intent: { type: 'move', by: -1 },
    footer: true,
    appliesIn: inList,
    disabledReason: needsTickets,
  },
  {
    id: 'list.pageDown',
    description: 'page down',
    category: 'Navigation',
    keys: [{ special: 'pageDown' }],
    intent: { type: 'movePage', pages: 1 },
    footer: false,
    appliesIn: inList,
    disabledReason: needsTickets,
  },
  {
    id: 'list.pageUp',
    description: 'page up',
    category: 'Navigation',
    keys: [{ special: 'pageUp' }],
    intent: { type: 'movePage', pages: -1 },
    footer: false,
    appliesIn: inList,
    disabledReason: needsTickets,
  },
  {
    id: 'list.top',
    description: 'first ticket',
    category: 'Navigation',
    keys: [{ input: 'g' }, { special: 'home' }],
    intent: { type: 'moveTo', where: 'top' },
    footer: false,
    appliesIn: inList,
    disabledReason: needsTickets,
  },
  {
    id: 'list.bottom',
    description: 'last ticket',
    category: 'Navigation',
    keys: [{ input: 'G' }, { special: 'end' }],
    intent: { type: 'moveTo', where: 'bottom' },
    footer: false,
    appliesIn: inList,
    disabledReason: needsTickets,
  },
  {
    id: 'help.toggle',
    description: 'show the keys',
    category: 'Views',
    keys: [{ input: '?' }],
    intent: { type: 'toggleHelp' },
    footer: true,
  },
  {
    id: 'help.close',
    description: 'close the overlay',
    category: 'Views',
    keys: [{ special: 'escape' }],
    intent: { type: 'closeHelp' },
    footer: true,
    appliesIn: (ctx) => ctx.view.helpOpen,
  },
  {
    id: 'app.quit',
    description: 'quit',
    category: 'Application',
    keys: [{ input: 'q' }, { input: 'c', ctrl: true }],
    intent: { type: 'quit' },
    footer: true,
  },
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
};

export function keyLabel(binding: KeyBinding): string {
  const base = binding.special ? SPECIAL_LABELS[binding.special] : (binding.input ?? '');
  return binding.ctrl ? `Ctrl-${base.toUpperCase()}` : base;
}

export function keysLabel(command: CommandDef): string {
  return command.keys.map(keyLabel).join('/');
}

export function commandsFor(ctx: CommandContext): CommandDef[] {
  return COMMANDS.filter((c) => c.appliesIn?.(ctx) ?? true);
}

/** The README's key table, generated so it cannot drift from the registry. */
export function keyTableMarkdown(): string {
  const rows = COMMANDS.map(
    (c) =>
      `| ${keysLabel(c).replace(/\|/g, '\\|')} | ${c.description} | ${c.category} | \`${c.id}\` |`,
  );
  return ['| keys | does | category | command |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
