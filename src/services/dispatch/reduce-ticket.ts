import type { RuntimeRef, Ticket } from '../../domain/index.js';
import { type Action, reducer, stateWithTickets } from '../../store/index.js';

/** One ticket through one step of the reducer: the rules live there, for the CLI and the TUI. */
export function reduceTicket(ticket: Ticket, action: Action): Ticket {
  return reducer(stateWithTickets([ticket]), action).tickets[ticket.key] ?? ticket;
}

/**
 * A delivery to `runtime` of ticket `to`'s message: whichever ticket the runtime worked on lets
 * it go, in the delivery's transaction (`othersBoundTo`); `moved` collects the steps to announce
 * once the delivery is written.
 */
export function othersMoveOn(runtime: RuntimeRef, to: string, at: string) {
  const moved: Action[] = [];
  const othersBoundTo = {
    host: runtime.host,
    id: runtime.id,
    reduce: (other: Ticket) => {
      const action: Action = { type: 'runtime/movedOn', ticketKey: other.key, runtime, to, at };
      moved.push(action);
      return reduceTicket(other, action);
    },
  };
  return { othersBoundTo, moved };
}
