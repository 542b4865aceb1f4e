import type { TicketState } from '../../domain/index.js';
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
  | 'return'
  | 'backspace'
  | 'tab';

export interface KeyBinding {
  /** A printable key, as typed (`j`, `G`, `?`). */
  input?: string;
  special?: SpecialKey;
  ctrl?: boolean;
  /** Any printable character (typing into a filter or the command line). */
  text?: true;
}

export interface CommandContext {
  view: ViewState;
  ticketCount: number;
  /** The selected ticket's state, and whether a pickup of it is under way here. */
  selected?: { state: TicketState; sending: boolean };
  /** Choices in the pickup chooser. */
  choiceCount?: number;
  /** Pickups under way in this control room. */
  inFlight?: number;
  unseen?: number;
}

export type CommandCategory = 'Navigation' | 'Tickets' | 'Views' | 'Application';

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

const needsTickets = (ctx: CommandContext) =>
  ctx.ticketCount === 0
    ? ctx.view.screen === 'runtimes'
      ? 'no runtimes'
      : 'no tickets yet'
    : null;
const editing = (ctx: CommandContext) => ctx.view.filter?.editing === true;
const commanding = (ctx: CommandContext) => ctx.view.command !== undefined;
const inList = (ctx: CommandContext) =>
  !ctx.view.helpOpen && !ctx.view.chooser && !ctx.view.detail && !editing(ctx) && !commanding(ctx);
/** On the tickets table, with nothing over it. */
const inTickets = (ctx: CommandContext) => inList(ctx) && ctx.view.screen !== 'runtimes';
const inChooser = (ctx: CommandContext) => !ctx.view.helpOpen && ctx.view.chooser !== undefined;
const inDetail = (ctx: CommandContext) =>
  !ctx.view.helpOpen && !ctx.view.chooser && ctx.view.detail !== undefined;
const filtering = (ctx: CommandContext) => !ctx.view.helpOpen && editing(ctx) && !commanding(ctx);

function pickupBlocked(ctx: CommandContext): string | null {
  if (ctx.ticketCount === 0 || !ctx.selected) return 'no tickets yet';
  if (ctx.selected.sending) return 'a pickup of it is under way';
  if (ctx.selected.state !== 'todo') {
    return `it is ${ctx.selected.state.replace('_', ' ')}; only a todo ticket is picked up`;
  }
  return null;
}

export const COMMANDS: readonly CommandDef[] = [
  // The command line takes every key while it is open: these come first of all.
  {
    id: 'command.run',
    description: 'run the command',
    category: 'Application',
    keys: [{ special: 'return' }],
    intent: { type: 'runCommand' },
    footer: true,
    appliesIn: commanding,
  },
  {
    id: 'command.cancel',
    description: 'close the command line',
    category: 'Application',
    keys: [{ special: 'escape' }],
    intent: { type: 'cancelCommand' },
    footer: true,
    appliesIn: commanding,
  },
  {
    id: 'command.complete',
    description: 'complete',
    category: 'Application',
    keys: [{ special: 'tab' }],
    intent: { type: 'completeCommand', text: '' },
    footer: true,
    appliesIn: commanding,
  },
  {
    id: 'command.backspace',
    description: 'delete a character',
    category: 'Application',
    keys: [{ special: 'backspace' }],
    intent: { type: 'commandBackspace' },
    footer: false,
    appliesIn: commanding,
  },
  {
    id: 'command.type',
    description: 'type a command',
    category: 'Application',
    keys: [{ text: true }],
    intent: { type: 'commandText', text: '' },
    footer: false,
    appliesIn: commanding,
  },
  {
    id: 'command.start',
    description: 'command line',
    category: 'Application',
    keys: [{ input: ':' }],
    intent: { type: 'startCommand' },
    footer: true,
    appliesIn: inList,
  },
  // While the filter is being typed, keys go into it: these come first.
  {
    id: 'filter.done',
    description: 'keep the filter',
    category: 'Navigation',
    keys: [{ special: 'return' }],
    intent: { type: 'endFilter' },
    footer: true,
    appliesIn: filtering,
  },
  {
    id: 'filter.clear',
    description: 'clear the filter',
    category: 'Navigation',
    keys: [{ special: 'escape' }],
    intent: { type: 'clearFilter' },
    footer: true,
    appliesIn: (ctx) => filtering(ctx) || (inTickets(ctx) && ctx.view.filter !== undefined),
  },
  {
    id: 'filter.backspace',
    description: 'delete a character',
    category: 'Navigation',
    keys: [{ special: 'backspace' }],
    intent: { type: 'filterBackspace' },
    footer: false,
    appliesIn: filtering,
  },
  {
    id: 'filter.type',
    description: 'type the filter',
    category: 'Navigation',
    keys: [{ text: true }],
    intent: { type: 'filterText', text: '' },
    footer: false,
    appliesIn: filtering,
  },
  {
    id: 'filter.start',
    description: 'filter the list',
    category: 'Navigation',
    keys: [{ input: '/' }],
    intent: { type: 'startFilter' },
    footer: true,
    appliesIn: inTickets,
  },
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
    id: 'ticket.open',
    description: 'open the ticket',
    category: 'Tickets',
    keys: [{ special: 'return' }],
    intent: { type: 'openDetail' },
    footer: true,
    appliesIn: inTickets,
    disabledReason: needsTickets,
  },
  {
    id: 'ticket.pickup',
    description: 'pick it up',
    category: 'Tickets',
    keys: [{ input: 'p' }],
    intent: { type: 'openChooser' },
    footer: true,
    appliesIn: (ctx) => inTickets(ctx) || inDetail(ctx),
    disabledReason: pickupBlocked,
  },
  {
    id: 'chooser.down',
    description: 'next choice',
    category: 'Tickets',
    keys: [{ input: 'j' }, { special: 'down' }],
    intent: { type: 'moveChoice', by: 1 },
    footer: false,
    appliesIn: inChooser,
  },
  {
    id: 'chooser.up',
    description: 'previous choice',
    category: 'Tickets',
    keys: [{ input: 'k' }, { special: 'up' }],
    intent: { type: 'moveChoice', by: -1 },
    footer: false,
    appliesIn: inChooser,
  },
  {
    id: 'chooser.send',
    description: 'send it there',
    category: 'Tickets',
    keys: [{ special: 'return' }],
    intent: { type: 'sendChoice' },
    footer: true,
    appliesIn: inChooser,
    disabledReason: (ctx) =>
      (ctx.choiceCount ?? 0) === 0 ? 'no idle runtime and no profile to start' : null,
  },
  {
    id: 'chooser.cancel',
    description: 'cancel',
    category: 'Tickets',
    keys: [{ special: 'escape' }],
    intent: { type: 'closeChooser' },
    footer: true,
    appliesIn: inChooser,
  },
  {
    id: 'detail.down',
    description: 'scroll down',
    category: 'Navigation',
    keys: [{ input: 'j' }, { special: 'down' }],
    intent: { type: 'scrollDetail', by: 1 },
    footer: false,
    appliesIn: inDetail,
  },
  {
    id: 'detail.up',
    description: 'scroll up',
    category: 'Navigation',
    keys: [{ input: 'k' }, { special: 'up' }],
    intent: { type: 'scrollDetail', by: -1 },
    footer: false,
    appliesIn: inDetail,
  },
  {
    id: 'detail.back',
    description: 'back to the list',
    category: 'Views',
    keys: [{ special: 'escape' }],
    intent: { type: 'closeDetail' },
    footer: true,
    appliesIn: inDetail,
  },
  {
    id: 'notifications.seen',
    description: 'mark notifications seen',
    category: 'Application',
    keys: [{ input: 'n' }],
    intent: { type: 'markSeen' },
    footer: true,
    appliesIn: (ctx) => !ctx.view.chooser && !ctx.view.helpOpen,
    disabledReason: (ctx) => ((ctx.unseen ?? 0) === 0 ? 'no new notifications' : null),
  },
  {
    id: 'view.runtimes',
    description: 'runtimes',
    category: 'Views',
    keys: [{ input: 'r' }],
    intent: { type: 'showScreen', screen: 'runtimes' },
    footer: true,
    appliesIn: inTickets,
  },
  {
    id: 'view.tickets',
    description: 'tickets',
    category: 'Views',
    keys: [{ input: 't' }, { special: 'escape' }],
    intent: { type: 'showScreen', screen: 'tickets' },
    footer: true,
    appliesIn: (ctx) => inList(ctx) && ctx.view.screen === 'runtimes',
  },
  {
    id: 'help.toggle',
    description: 'show the keys',
    category: 'Views',
    keys: [{ input: '?' }],
    intent: { type: 'toggleHelp' },
    footer: true,
    appliesIn: (ctx) => !ctx.view.chooser,
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
    id: 'help.backspace',
    description: 'delete a character',
    category: 'Views',
    keys: [{ special: 'backspace' }],
    intent: { type: 'helpBackspace' },
    footer: false,
    appliesIn: (ctx) => ctx.view.helpOpen,
  },
  {
    id: 'help.type',
    description: 'type to find a key',
    category: 'Views',
    keys: [{ text: true }],
    intent: { type: 'helpText', text: '' },
    footer: true,
    appliesIn: (ctx) => ctx.view.helpOpen,
  },
  {
    id: 'app.quit',
    description: 'quit',
    category: 'Application',
    keys: [{ input: 'q' }, { input: 'c', ctrl: true }],
    // Mid-pickup, quitting would leave the message's outcome unknown: ask first.
    intent: { type: 'quit' },
    footer: true,
    appliesIn: (ctx) => !ctx.view.confirmQuit,
  },
  {
    id: 'app.quitAnyway',
    description: 'quit anyway',
    category: 'Application',
    keys: [{ input: 'y' }],
    intent: { type: 'quitAnyway' },
    footer: true,
    appliesIn: (ctx) => ctx.view.confirmQuit === true,
  },
  {
    id: 'app.stay',
    description: 'stay',
    category: 'Application',
    keys: [{ input: 'n' }, { special: 'escape' }],
    intent: { type: 'stay' },
    footer: true,
    appliesIn: (ctx) => ctx.view.confirmQuit === true,
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
