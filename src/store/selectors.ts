import {
  type BindingPresence,
  inputLeft,
  NO_PRESENCE,
  presenceOf,
  type RuntimeState,
  runtimeRefKey,
  sanitizeLine,
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
  /** Tickets queued behind the one it works on, oldest first (their messages wait for it). */
  queued: string[];
  /** What its host's last answer failed with, while it fails: the runtime is not reachable. */
  hostFailure: string | null;
}

/**
 * The runtime a ticket is queued for: in progress, bound to nothing, with a message waiting
 * (`host:id`), or null. A busy runtime that works on another ticket leaves it so.
 */
export function queuedRuntime(ticket: Ticket): string | null {
  if (ticket.runtime !== null) return null;
  if (ticket.state !== 'in_progress' && ticket.state !== 'needs_input') return null;
  for (let i = ticket.messages.length - 1; i >= 0; i--) {
    const message = ticket.messages[i];
    if (message?.state === 'pending') return message.runtime;
  }
  return null;
}

/** `queued on R after K` for a queued ticket (K: whichever ticket holds R now), else null. */
export function selectQueue(
  state: Pick<AppState, 'tickets' | 'ticketOrder' | 'runtimes'>,
  ticket: Ticket,
): string | null {
  const ref = queuedRuntime(ticket);
  if (ref === null) return null;
  const entry = state.runtimes[ref];
  const colon = ref.indexOf(':');
  const host = ref.slice(0, colon);
  const name = sanitizeLine(entry?.name || ref.slice(colon + 1));
  const where = host === 'local' ? name : `${sanitizeLine(host)}:${name}`;
  const after = state.ticketOrder.find((key) => {
    const bound = state.tickets[key]?.runtime;
    return bound !== null && bound !== undefined && runtimeRefKey(bound) === ref;
  });
  return after ? `queued on ${where} after ${sanitizeLine(after)}` : `queued on ${where}`;
}

/** Adoption is not stored on the runtime: it is read off the tickets bound to it. */
export function selectRuntimes(
  state: Pick<AppState, 'tickets' | 'ticketOrder' | 'runtimes'> & Partial<Pick<AppState, 'hosts'>>,
): RuntimeView[] {
  const bindings = new Map<string, { adopted: boolean; ticketKey: string }>();
  const queues = new Map<string, string[]>();
  for (const key of state.ticketOrder) {
    const ticket = state.tickets[key];
    const binding = ticket?.runtime;
    if (!binding) {
      const ref = ticket ? queuedRuntime(ticket) : null;
      // ticketOrder is newest first: the oldest queued comes first.
      if (ref !== null) queues.set(ref, [key, ...(queues.get(ref) ?? [])]);
      continue;
    }
    const ref = runtimeRefKey(binding);
    const known = bindings.get(ref);
    if (!known || binding.adopted) bindings.set(ref, { adopted: binding.adopted, ticketKey: key });
  }
  return Object.entries(state.runtimes).map(([ref, entry]) => {
    const bound = bindings.get(ref);
    const health = state.hosts?.[entry.host];
    return {
      ...entry,
      adopted: bound?.adopted ?? false,
      ticketKey: bound?.ticketKey ?? entry.ticket,
      queued: queues.get(ref) ?? [],
      hostFailure: health && !health.ok ? health.detail || 'no answer' : null,
    };
  });
}

/** `host:id` of the live runtimes whose agent waits with text left in its input line. */
export function selectInputLeft(state: Pick<AppState, 'runtimes'>): ReadonlySet<string> {
  const left = new Set<string>();
  for (const [ref, entry] of Object.entries(state.runtimes)) {
    if (!entry.gone && inputLeft(entry)) left.add(ref);
  }
  return left;
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
