import type { HostedRuntime, Ticket, TicketTotals } from '../domain/index.js';

export type NotificationLevel = 'error' | 'warning' | 'info' | 'success';

/** Notifications stay until the operator has seen them. */
export interface Notification {
  id: string;
  level: NotificationLevel;
  ticketKey: string | null;
  text: string;
  at: string;
  seen: boolean;
}

/** A runtime as last reported by its host; `gone` once its host stops listing it. */
export interface RuntimeEntry extends HostedRuntime {
  gone: boolean;
}

/** A host as the control room last reached it. */
export interface HostHealth {
  ok: boolean;
  /** What failed, in the host's or the transport's words (sanitised when shown). */
  detail: string;
}

/** The outbox at a glance: messages waiting for a runtime, and sends whose outcome is unknown. */
export interface OutboxCounts {
  pending: number;
  unknown: number;
}

export interface AppState {
  tickets: Readonly<Record<string, Ticket>>;
  /** Ticket keys, newest first. */
  ticketOrder: readonly string[];
  /** Keyed by `host:id`. */
  runtimes: Readonly<Record<string, RuntimeEntry>>;
  notifications: readonly Notification[];
  notificationSeq: number;
  hosts: Readonly<Record<string, HostHealth>>;
  outbox: OutboxCounts;
  /**
   * While only the first page of tickets is loaded (the first frame comes before the rest is
   * read), the whole list's size and counts; null once every ticket is in `tickets`.
   */
  ticketTotals: TicketTotals | null;
}

export function emptyState(): AppState {
  return {
    tickets: {},
    ticketOrder: [],
    runtimes: {},
    notifications: [],
    notificationSeq: 0,
    hosts: {},
    outbox: { pending: 0, unknown: 0 },
    ticketTotals: null,
  };
}

/** The newest tickets only, with the counts of them all (the rest comes as `tickets/loaded`). */
export function stateWithFirstPage(page: readonly Ticket[], totals: TicketTotals): AppState {
  const state = stateWithTickets(page);
  return totals.total > page.length ? { ...state, ticketTotals: totals } : state;
}

export function stateWithTickets(tickets: readonly Ticket[]): AppState {
  const state = emptyState();
  const byKey: Record<string, Ticket> = {};
  for (const ticket of tickets) byKey[ticket.key] = ticket;
  return { ...state, tickets: byKey, ticketOrder: tickets.map((t) => t.key) };
}
