import {
  type BindingPresence,
  NO_PRESENCE,
  presenceOf,
  type RuntimeState,
  runtimeRefKey,
  TICKET_STATES,
  type Ticket,
  type TicketState,
} from '../domain/index.js';
import type { AppState, Notification, RuntimeEntry } from './state.js';

/** Everything the operator sees is derived here from store state. */

export function selectTickets(state: AppState): Ticket[] {
  const tickets: Ticket[] = [];
  for (const key of state.ticketOrder) {
    const ticket = state.tickets[key];
    if (ticket) tickets.push(ticket);
  }
  return tickets;
}

export function selectTicket(state: AppState, key: string): Ticket | undefined {
  return state.tickets[key];
}

export function selectTicketCounts(
  state: Pick<AppState, 'ticketOrder' | 'tickets'>,
): Record<TicketState, number> {
  const counts = Object.fromEntries(TICKET_STATES.map((s) => [s, 0])) as Record<
    TicketState,
    number
  >;
  for (const key of state.ticketOrder) {
    const ticket = state.tickets[key];
    if (ticket) counts[ticket.state] += 1;
  }
  return counts;
}

export interface RuntimeView extends RuntimeEntry {
  /** True while some ticket is bound to it through a busy answer. */
  adopted: boolean;
  ticketKey: string | null;
}

/** Adoption is not stored on the runtime: it is read off the tickets bound to it. */
export function selectRuntimes(state: AppState): RuntimeView[] {
  const bindings = new Map<string, { adopted: boolean; ticketKey: string }>();
  for (const key of state.ticketOrder) {
    const binding = state.tickets[key]?.runtime;
    if (!binding) continue;
    const ref = runtimeRefKey(binding);
    const known = bindings.get(ref);
    if (!known || binding.adopted) bindings.set(ref, { adopted: binding.adopted, ticketKey: key });
  }
  return Object.entries(state.runtimes).map(([ref, entry]) => {
    const bound = bindings.get(ref);
    return {
      ...entry,
      adopted: bound?.adopted ?? false,
      ticketKey: bound?.ticketKey ?? entry.ticket,
    };
  });
}

export function selectRuntimeCounts(state: AppState): Partial<Record<RuntimeState, number>> {
  const counts: Partial<Record<RuntimeState, number>> = {};
  for (const entry of Object.values(state.runtimes)) {
    if (!entry.gone) counts[entry.state] = (counts[entry.state] ?? 0) + 1;
  }
  return counts;
}

export function selectUnseenNotifications(state: Pick<AppState, 'notifications'>): Notification[] {
  return state.notifications.filter((n) => !n.seen);
}

/**
 * Whether a ticket's runtime is still there, as this control room last read its host: nothing
 * is claimed before the host's first list (a start is not a loss).
 */
export function selectPresence(
  state: Pick<AppState, 'runtimes' | 'hosts'>,
  ticket: Pick<Ticket, 'state' | 'runtime'>,
): BindingPresence {
  const binding = ticket.runtime;
  const health = binding ? state.hosts[binding.host] : undefined;
  if (!binding || !health) return NO_PRESENCE;
  if (!health.ok) return presenceOf(ticket, { ok: false, detail: health.detail });
  const entry = state.runtimes[runtimeRefKey(binding)];
  const listed = entry && !entry.gone ? [[binding.id, entry.state] as const] : [];
  return presenceOf(ticket, { ok: true, runtimes: new Map(listed) });
}
