import {
  type HostedRuntime,
  type RuntimeState,
  runtimeRefKey,
  type Ticket,
} from '../domain/index.js';
import type { AppState, RuntimeEntry } from './state.js';
import { followRuntime, type RuntimeCondition } from './ticket-follow.js';
import { replaceTicket } from './ticket-updates.js';

/**
 * How tickets follow their bound runtime: every bound ticket is moved by `followRuntime` (one
 * rule, ticket-follow.ts), on an observed change and on every list alike. A list is the whole
 * truth of its host, so a control room that starts (or reconnects) while an agent already asks,
 * or after it stopped asking, ends up where one that saw every transition would.
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

function follow(
  state: AppState,
  ticket: Ticket,
  runtime: RuntimeCondition,
  name: string,
  at: string,
): AppState {
  const next = followRuntime(ticket, runtime, name, at);
  return next === ticket ? state : replaceTicket(state, next);
}

/** An observed change of one runtime's state (the monitor sends it when the agent's state changes). */
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
    next = follow(next, ticket, runtimeState, entry.name, at);
  }
  return next;
}

/** A host's whole list: its runtimes' states, and the ones it no longer lists are gone. */
export function applyRuntimesSynced(
  state: AppState,
  host: string,
  runtimes: readonly HostedRuntime[],
  at: string,
): AppState {
  let next = sameAsStored(state, host, runtimes) ? state : withRuntimes(state, host, runtimes);
  const listed = new Map(runtimes.map((runtime) => [runtime.id, runtime]));
  for (const key of next.ticketOrder) {
    const ticket = next.tickets[key];
    const binding = ticket?.runtime;
    if (!ticket || !binding || binding.host !== host) continue;
    const runtime = listed.get(binding.id);
    const name = runtime?.name ?? binding.name ?? binding.id;
    next = follow(next, ticket, runtime?.state ?? 'gone', name, at);
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
