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
export const inList = (ctx: CommandContext) =>
  !ctx.view.helpOpen && !ctx.view.chooser && !ctx.view.detail && !editing(ctx) && !commanding(ctx);
/** On the tickets table, with nothing over it. */
export const inTickets = (ctx: CommandContext) => inList(ctx) && ctx.view.screen !== 'runtimes';
export const inChooser = (ctx: CommandContext) =>
  !ctx.view.helpOpen && ctx.view.chooser !== undefined;
export const inDetail = (ctx: CommandContext) =>
  !ctx.view.helpOpen && !ctx.view.chooser && ctx.view.detail !== undefined;
export const filtering = (ctx: CommandContext) =>
  !ctx.view.helpOpen && editing(ctx) && !commanding(ctx);

export function pickupBlocked(ctx: CommandContext): string | null {
  if (ctx.ticketCount === 0 || !ctx.selected) return 'no tickets yet';
  if (ctx.selected.sending) return 'a pickup of it is under way';
  if (ctx.selected.state !== 'todo') {
    return `it is ${ctx.selected.state.replace('_', ' ')}; only a todo ticket is picked up`;
  }
  return null;
}
