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

/**
 * An observed change of one runtime's state (the monitor sends it when the agent's state
 * changes). Unlike a list refresh it may resume a needs-input ticket: the agent working again is
 * the documented sign that the question was answered, whatever state a refresh stored meanwhile.
 */
export function applyRuntimeStateChanged(
  state: AppState,
  host: string,
  id: string,
  runtimeState: RuntimeState,
  at: string,
): AppState {
  const key = runtimeRefKey({ host, id });
  const entry = state.runtimes[key];
  if (!entry) return state;
  let next: AppState =
    entry.state === runtimeState
      ? state
      : {
          ...state,
          runtimes: {
            ...state.runtimes,
            [key]: { ...entry, state: runtimeState, lastActivityAt: at },
          },
        };
  for (const ticket of boundTickets(next, host, id)) {
    if (runtimeState === 'needs_input') {
      next = askForInput(next, ticket, entry.name, at);
    } else if (runtimeState === 'busy' && ticket.state === 'needs_input') {
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
  let next = sameAsStored(state, host, runtimes) ? state : withRuntimes(state, host, runtimes);
  for (const runtime of runtimes) {
    if (runtime.state !== 'needs_input') continue;
    for (const ticket of boundTickets(next, host, runtime.id)) {
      next = askForInput(next, ticket, runtime.name, at);
    }
  }
  return next;
}

function withRuntimes(state: AppState, host: string, runtimes: readonly HostedRuntime[]): AppState {
  const entries: Record<string, RuntimeEntry> = {};
  for (const [key, entry] of Object.entries(state.runtimes)) {
    entries[key] = entry.host === host && !entry.gone ? { ...entry, gone: true } : entry;
  }
  for (const runtime of runtimes) {
    entries[runtimeRefKey({ host, id: runtime.id })] = { ...runtime, host, gone: false };
  }
  return { ...state, runtimes: entries };
}

/** A refresh that reports exactly what is stored leaves the runtimes as they are (no re-render). */
function sameAsStored(state: AppState, host: string, runtimes: readonly HostedRuntime[]): boolean {
  const live = Object.values(state.runtimes).filter((e) => e.host === host && !e.gone);
  if (live.length !== runtimes.length) return false;
  return runtimes.every((runtime) => {
    const stored = state.runtimes[runtimeRefKey({ host, id: runtime.id })];
    if (!stored || stored.gone) return false;
    return (Object.keys(runtime) as (keyof HostedRuntime)[]).every(
      (field) => field === 'host' || stored[field] === runtime[field],
    );
  });
}
