import { describe, expect, it } from 'vitest';
import {
  type RuntimeBinding,
  type RuntimeRef,
  TICKET_STATES,
  type Ticket,
  type TicketState,
} from '../../src/domain/index.js';
import type { Action } from '../../src/store/actions.js';
import { reducer } from '../../src/store/reducer.js';
import { type AppState, emptyState } from '../../src/store/state.js';
import { deepFreeze, makeTicket, T0 } from './helpers/tickets.js';

/** `ticket/runtimeBound`: `runtimes new --ticket K` binds K to the runtime (issue 13 item 12). */

const AT = '2026-12-07T20:00:00Z';
const KEY = 'CR-3';
const NEW: RuntimeRef = { host: 'local', id: 'rt_4_abc', name: 'cr-cr-3' };
const OLD: RuntimeBinding = { host: 'local', id: 'rt_1_xyz', name: 'old-one', adopted: true };

function stateWith(state: TicketState, runtime: RuntimeBinding | null): AppState {
  const ticket = makeTicket({
    key: KEY,
    state,
    runtime,
    events: [{ at: T0, type: 'created', text: 'created' }],
  });
  const bystander = makeTicket({ key: 'CR-4', state: 'todo', runtime: null });
  return deepFreeze({
    ...emptyState(),
    tickets: { [KEY]: ticket, 'CR-4': bystander },
    ticketOrder: [KEY, 'CR-4'],
  });
}

const bind = (ticketKey = KEY): Action => ({
  type: 'ticket/runtimeBound',
  ticketKey,
  runtime: NEW,
  profile: 'shell',
  cwd: '/srv/app-worktrees/cr-3',
  at: AT,
});

describe('ticket/runtimeBound', () => {
  const rows: { from: TicketState; before: RuntimeBinding | null; leaves: boolean }[] =
    TICKET_STATES.flatMap((from) => [
      { from, before: null, leaves: false },
      { from, before: OLD, leaves: true },
      { from, before: { ...NEW, adopted: true }, leaves: false },
    ]);

  it.each(rows)(
    'from $from, bound before to $before.name: bound, state kept, one event',
    ({ from, before, leaves }) => {
      const start = stateWith(from, before);
      const after = reducer(start, bind());
      const ticket = after.tickets[KEY] as Ticket;
      expect(ticket.state).toBe(from);
      expect(ticket.runtime).toEqual({ ...NEW, adopted: false });
      expect(ticket.events).toHaveLength(2);
      const event = ticket.events[1];
      expect(event).toMatchObject({ at: AT, type: 'runtime_bound' });
      expect(event?.text).toContain('local:cr-cr-3');
      expect(event?.text).toContain('shell');
      expect(event?.text).toContain('/srv/app-worktrees/cr-3');
      expect(event?.text.includes('leaves local:old-one')).toBe(leaves);
      expect(ticket.updatedAt).toBe(AT);
      // Nothing else moves: the other ticket, the order, the notifications.
      expect(after.tickets['CR-4']).toBe(start.tickets['CR-4']);
      expect(after.ticketOrder).toBe(start.ticketOrder);
      expect(after.notifications).toBe(start.notifications);
    },
  );

  it('changes nothing for a ticket that is not there', () => {
    const start = stateWith('todo', null);
    expect(reducer(start, bind('NOPE-1'))).toBe(start);
  });
});
