import type { Ticket, TicketEvent, TicketState } from '../domain/index.js';
import { reducer, stateWithTickets } from '../store/index.js';

/**
 * A change made outside a running control room (the CLI) goes through the same reducer as the
 * TUI's, so the rules live in one place; what it appended to the timeline is returned to persist.
 */
export function applyStateChange(
  ticket: Ticket,
  state: TicketState,
  at: string,
): { ticket: Ticket; events: TicketEvent[] } {
  const next = reducer(stateWithTickets([ticket]), {
    type: 'ticket/stateSet',
    key: ticket.key,
    state,
    at,
  });
  const moved = next.tickets[ticket.key] ?? ticket;
  return { ticket: moved, events: moved.events.slice(ticket.events.length) };
}
