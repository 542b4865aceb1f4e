import type { CommandContext } from './command-types.js';

/** Where commands apply and why they may not run: the predicates the command tables share. */

export const needsTickets = (ctx: CommandContext) =>
  ctx.ticketCount === 0
    ? ctx.view.screen === 'runtimes'
      ? 'no runtimes'
      : 'no tickets yet'
    : null;
export const editing = (ctx: CommandContext) => ctx.view.filter?.editing === true;
export const commanding = (ctx: CommandContext) => ctx.view.command !== undefined;
export const inserting = (ctx: CommandContext) =>
  !ctx.view.helpOpen && ctx.view.insert !== undefined;
export const inList = (ctx: CommandContext) =>
  !ctx.view.helpOpen &&
  !ctx.view.chooser &&
  !ctx.view.detail &&
  !ctx.view.watch &&
  !ctx.view.insert &&
  !editing(ctx) &&
  !commanding(ctx);
/** On the runtimes table, with nothing over it. */
export const inRuntimes = (ctx: CommandContext) => inList(ctx) && ctx.view.screen === 'runtimes';
/** Watching a runtime full screen, with nothing over it. */
export const inWatch = (ctx: CommandContext) =>
  !ctx.view.helpOpen && ctx.view.watch !== undefined && !ctx.view.insert;
/** On the tickets table, with nothing over it. */
export const inTickets = (ctx: CommandContext) => inList(ctx) && ctx.view.screen !== 'runtimes';
export const inChooser = (ctx: CommandContext) =>
  !ctx.view.helpOpen && ctx.view.chooser !== undefined;
export const inDetail = (ctx: CommandContext) =>
  !ctx.view.helpOpen && !ctx.view.chooser && ctx.view.detail !== undefined;
export const filtering = (ctx: CommandContext) =>
  !ctx.view.helpOpen && editing(ctx) && !commanding(ctx);

export const READONLY_REASON = 'read-only (--readonly): this control room only watches';

/** Why a command that sends to, attaches to or closes a runtime cannot run; null when it can. */
export function runtimeBlocked(ctx: CommandContext): string | null {
  if (ctx.readonly) return READONLY_REASON;
  return noRuntime(ctx);
}

export function noRuntime(ctx: CommandContext): string | null {
  if (!ctx.runtime) return 'no runtime selected';
  return 'none' in ctx.runtime ? ctx.runtime.none : null;
}

/** Why text left in the runtime's input line cannot be submitted or cleared; null when it can. */
export function inputBlocked(ctx: CommandContext): string | null {
  const blocked = runtimeBlocked(ctx);
  if (blocked !== null) return blocked;
  return ctx.runtime && 'id' in ctx.runtime && ctx.runtime.inputLeft
    ? null
    : 'its input line holds no text left by a send';
}

export function pickupBlocked(ctx: CommandContext): string | null {
  if (ctx.readonly) return READONLY_REASON;
  if (ctx.ticketCount === 0 || !ctx.selected) return 'no tickets yet';
  if (ctx.selected.sending) return 'a pickup of it is under way';
  if (ctx.selected.state !== 'todo') {
    return `it is ${ctx.selected.state.replace('_', ' ')}; only a todo ticket is picked up`;
  }
  return null;
}
