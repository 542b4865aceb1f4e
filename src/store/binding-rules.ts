import type { RuntimeRef, Ticket } from '../domain/index.js';
import type { AppState } from './state.js';
import { runtimeLabel as label, replaceTicket, withEvent } from './ticket-updates.js';

/**
 * A runtime started for a ticket outside a pickup (`runtimes new --ticket K`): the ticket is
 * bound to it at once, its state untouched (nothing was sent), and the timeline says where it
 * runs and which runtime it leaves, if any.
 */
export function applyRuntimeBound(
  state: AppState,
  ticket: Ticket,
  runtime: RuntimeRef,
  profile: string,
  cwd: string,
  at: string,
): AppState {
  const previous = ticket.runtime;
  const moved =
    previous && (previous.host !== runtime.host || previous.id !== runtime.id)
      ? `; it leaves ${label(previous)}`
      : '';
  const text = `bound to ${label(runtime)} (${profile}), started in ${cwd}${moved}`;
  const bound: Ticket = {
    ...ticket,
    runtime: { host: runtime.host, id: runtime.id, name: runtime.name, adopted: false },
  };
  return replaceTicket(state, withEvent(bound, { at, type: 'runtime_bound', text }));
}
