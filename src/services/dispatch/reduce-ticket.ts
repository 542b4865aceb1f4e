import type { Ticket } from '../../domain/index.js';
import { type Action, reducer, stateWithTickets } from '../../store/index.js';

/** One ticket through one step of the reducer: the rules live there, for the CLI and the TUI. */
export function reduceTicket(ticket: Ticket, action: Action): Ticket {
  return reducer(stateWithTickets([ticket]), action).tickets[ticket.key] ?? ticket;
}
