import { describe, expect, it } from 'vitest';
import { RUNTIME_STATES, TICKET_STATES } from '../../src/domain/index.js';
import {
  followRuntime,
  type RuntimeCondition,
  ticketStateGiven,
} from '../../src/store/ticket-follow.js';
import { makeTicket } from './helpers/tickets.js';

const AT = '2026-12-07T20:00:00Z';
const CONDITIONS: readonly RuntimeCondition[] = [...RUNTIME_STATES, 'gone'];

/** Every ticket state against every runtime condition, written out: the rule is this table. */
const TABLE: Record<string, Record<RuntimeCondition, string>> = {
  todo: {
    starting: 'todo',
    idle: 'todo',
    busy: 'todo',
    needs_input: 'todo',
    exited: 'todo',
    unknown: 'todo',
    gone: 'todo',
  },
  in_progress: {
    starting: 'in_progress',
    idle: 'in_progress',
    busy: 'in_progress',
    needs_input: 'needs_input',
    exited: 'in_progress',
    unknown: 'in_progress',
    gone: 'in_progress',
  },
  needs_input: {
    starting: 'in_progress',
    idle: 'in_progress',
    busy: 'in_progress',
    needs_input: 'needs_input',
    exited: 'needs_input',
    unknown: 'in_progress',
    gone: 'needs_input',
  },
  review: {
    starting: 'review',
    idle: 'review',
    busy: 'review',
    needs_input: 'review',
    exited: 'review',
    unknown: 'review',
    gone: 'review',
  },
  done: {
    starting: 'done',
    idle: 'done',
    busy: 'done',
    needs_input: 'done',
    exited: 'done',
    unknown: 'done',
    gone: 'done',
  },
};

const ROWS = TICKET_STATES.flatMap((ticket) =>
  CONDITIONS.map((runtime) => ({ ticket, runtime, expected: TABLE[ticket]?.[runtime] })),
);

describe('a ticket given its bound runtime', () => {
  it.each(ROWS)('$ticket with a runtime $runtime is $expected', ({ ticket, runtime, expected }) => {
    expect(ticketStateGiven(ticket, runtime)).toBe(expected);
  });

  it('is where it would be whichever of the states it saw (a snapshot equals the transitions)', () => {
    // While the runtime is there: once it is gone, nothing more is known of it.
    const there = CONDITIONS.filter((c) => c !== 'gone' && c !== 'exited');
    for (const start of TICKET_STATES) {
      for (const first of CONDITIONS) {
        for (const last of there) {
          const seen = ticketStateGiven(ticketStateGiven(start, first), last);
          expect(seen, `${start} → ${first} → ${last}`).toBe(ticketStateGiven(start, last));
        }
      }
    }
  });

  it('records each move on the timeline, and returns the same ticket when nothing moves', () => {
    const asking = followRuntime(makeTicket({ state: 'in_progress' }), 'needs_input', 'a', AT);
    expect(asking.state).toBe('needs_input');
    expect(asking.events.at(-1)).toEqual({ at: AT, type: 'needs_input', text: 'a asks for input' });
    expect(asking.updatedAt).toBe(AT);

    const answered = followRuntime(asking, 'idle', 'a', AT);
    expect(answered.state).toBe('in_progress');
    expect(answered.events.at(-1)).toMatchObject({ type: 'resumed' });
    expect(answered.events.at(-1)?.text).toContain('no longer asks');

    expect(followRuntime(asking, 'gone', 'a', AT)).toBe(asking);

    expect(followRuntime(answered, 'busy', 'a', AT)).toBe(answered);
    const todo = makeTicket({ state: 'todo' });
    expect(followRuntime(todo, 'needs_input', 'a', AT)).toBe(todo);
  });
});
