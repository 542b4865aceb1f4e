import {
  type HostedRuntime,
  type RuntimeState,
  runtimeRefKey,
  type Ticket,
} from '../domain/index.js';
import type { AppState, RuntimeEntry } from './state.js';
import { replaceTicket, withEvent } from './ticket-updates.js';

/**
 * How tickets follow their bound runtime. Only two documented moves exist: the runtime asks for
 * input (in progress → needs input), and it works again after asking (needs input → in progress).
 * A list refresh may only make the first move: earlier control rooms let row drift rewrite
 * needs-input tickets to in progress, and the operator lost the signal that an answer was owed.
 */

function boundTickets(state: AppState, host: string, id: string): Ticket[] {
  const bound: Ticket[] = [];
  for (const key of state.ticketOrder) {
    const ticket = state.tickets[key];
    if (ticket?.runtime && ticket.runtime.host === host && ticket.runtime.id === id) {
      bound.push(ticket);
    }
  }
  return bound;
}

function askForInput(state: AppState, ticket: Ticket, name: string, at: string): AppState {
  if (ticket.state !== 'in_progress') return state;
  const next = withEvent(
    { ...ticket, state: 'needs_input' },
    { at, type: 'needs_input', text: `${name} asks for input` },
  );
  return replaceTicket(state, next);
}

export function applyRuntimeStateChanged(
  state: AppState,
  host: string,
  id: string,
  runtimeState: RuntimeState,
  at: string,
): AppState {
  const key = runtimeRefKey({ host, id });
  const entry = state.runtimes[key];
  if (!entry || entry.state === runtimeState) return state;
  const previous = entry.state;
  let next: AppState = {
    ...state,
    runtimes: { ...state.runtimes, [key]: { ...entry, state: runtimeState, lastActivityAt: at } },
  };
  for (const ticket of boundTickets(next, host, id)) {
    if (runtimeState === 'needs_input') {
      next = askForInput(next, ticket, entry.name, at);
    } else if (
      previous === 'needs_input' &&
      runtimeState === 'busy' &&
      ticket.state === 'needs_input'
    ) {
      const resumed = withEvent(
        { ...ticket, state: 'in_progress' },
        { at, type: 'resumed', text: `${entry.name} is working again` },
      );
      next = replaceTicket(next, resumed);
    }
  }
  return next;
}

export function applyRuntimesSynced(
  state: AppState,
  host: string,
  runtimes: readonly HostedRuntime[],
  at: string,
): AppState {
  const entries: Record<string, RuntimeEntry> = {};
  for (const [key, entry] of Object.entries(state.runtimes)) {
    entries[key] = entry.host === host && !entry.gone ? { ...entry, gone: true } : entry;
  }
  for (const runtime of runtimes) {
    entries[runtimeRefKey({ host, id: runtime.id })] = { ...runtime, host, gone: false };
  }
  let next: AppState = { ...state, runtimes: entries };
  for (const runtime of runtimes) {
    if (runtime.state !== 'needs_input') continue;
    for (const ticket of boundTickets(next, host, runtime.id)) {
      next = askForInput(next, ticket, runtime.name, at);
    }
  }
  return next;
}
