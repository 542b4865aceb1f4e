import type { RuntimeState, Ticket, TicketState } from '../domain/index.js';
import { withEvent } from './ticket-updates.js';

/**
 * What the control room knows of a ticket's bound runtime: its state as last read, or `gone`
 * when its host (reached) no longer lists it (closed, or its tmux server ended).
 */
export type RuntimeCondition = RuntimeState | 'gone';

/**
 * The one rule of how a ticket follows its runtime, the same for an observed change and for a
 * whole list (a start, a reconnect, a poll), so a control room that missed the transitions still
 * ends up where one that saw them would:
 *  - in progress, and the runtime asks → needs input;
 *  - needs input, and the runtime is there and no longer asks (working, idle, starting, cannot
 *    tell) → in progress.
 * A runtime that exited or is gone moves nothing: the work may be half done and only the
 * operator can tell, so the ticket keeps its state and says its runtime is gone (what to do is
 * on its page). That also keeps a blink of the list (tmux's control client reconnecting reports
 * no runtimes for a moment) off the timeline. Todo, review and done are the operator's states
 * and never follow a runtime.
 */
export function ticketStateGiven(ticket: TicketState, runtime: RuntimeCondition): TicketState {
  if (runtime === 'gone' || runtime === 'exited') return ticket;
  if (ticket === 'in_progress' && runtime === 'needs_input') return 'needs_input';
  if (ticket === 'needs_input' && runtime !== 'needs_input') return 'in_progress';
  return ticket;
}

/** The ticket moved by `ticketStateGiven`, with the timeline event that says why; or itself. */
export function followRuntime(
  ticket: Ticket,
  runtime: RuntimeCondition,
  name: string,
  at: string,
): Ticket {
  const state = ticketStateGiven(ticket.state, runtime);
  if (state === ticket.state) return ticket;
  return withEvent({ ...ticket, state }, eventFor(state, runtime, name, at));
}

function eventFor(state: TicketState, runtime: RuntimeCondition, name: string, at: string) {
  if (state === 'needs_input') return { at, type: 'needs_input', text: `${name} asks for input` };
  if (runtime === 'busy') return { at, type: 'resumed', text: `${name} is working again` };
  return { at, type: 'resumed', text: `${name} no longer asks for input (${runtime})` };
}
