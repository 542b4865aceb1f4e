import type { RuntimeRef, Ticket, TicketEvent, TicketMessageSummary } from '../domain/index.js';
import type { AppState, Notification, NotificationLevel } from './state.js';

/** Small pure helpers the reducer composes; each returns a new object and never mutates. */

export function withEvent(ticket: Ticket, event: TicketEvent): Ticket {
  return { ...ticket, events: [...ticket.events, event], updatedAt: event.at };
}

export function withMessage(ticket: Ticket, message: TicketMessageSummary): Ticket {
  const index = ticket.messages.findIndex((m) => m.id === message.id);
  const messages =
    index === -1
      ? [...ticket.messages, message]
      : ticket.messages.map((m, i) => (i === index ? message : m));
  return { ...ticket, messages };
}

export function replaceTicket(state: AppState, ticket: Ticket): AppState {
  return { ...state, tickets: { ...state.tickets, [ticket.key]: ticket } };
}

export function notify(
  state: AppState,
  level: NotificationLevel,
  ticketKey: string | null,
  text: string,
  at: string,
): AppState {
  const seq = state.notificationSeq + 1;
  const notification: Notification = { id: `n${seq}`, level, ticketKey, text, at, seen: false };
  return { ...state, notificationSeq: seq, notifications: [...state.notifications, notification] };
}

/** `host:name` (or `host:id`), as the timeline names a runtime. */
export function runtimeLabel(runtime: RuntimeRef): string {
  return `${runtime.host}:${runtime.name ?? runtime.id}`;
}
