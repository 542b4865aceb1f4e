import type { RuntimeRef, Ticket } from '../domain/index.js';
import { reducer, stateWithTickets } from '../store/index.js';

/** Where a binding is written: the ticket read, changed and saved in one transaction. */
export interface TicketUpdater {
  update(
    key: string,
    reduce: (ticket: Ticket) => Ticket,
    change?: object,
    at?: string,
  ): Ticket | null;
}

/**
 * Binds a ticket to the runtime just started for it (`runtimes new --ticket K`), through the
 * reducer's rule, in one transaction with the timeline entry; null when the ticket is gone.
 */
export function bindStartedRuntime(
  tickets: TicketUpdater,
  key: string,
  started: { runtime: RuntimeRef; profile: string; cwd: string },
  at: string,
): Ticket | null {
  const action = { type: 'ticket/runtimeBound' as const, ticketKey: key, ...started, at };
  return tickets.update(
    key,
    (ticket) => reducer(stateWithTickets([ticket]), action).tickets[ticket.key] ?? ticket,
    {},
    at,
  );
}
