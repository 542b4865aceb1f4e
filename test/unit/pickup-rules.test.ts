import { describe, expect, it } from 'vitest';
import {
  type RuntimeBinding,
  type RuntimeRef,
  TICKET_STATES,
  type Ticket,
  type TicketMessageSummary,
  type TicketState,
} from '../../src/domain/index.js';
import type { Action, PickupStage } from '../../src/store/actions.js';
import { reducer } from '../../src/store/reducer.js';
import { type AppState, emptyState } from '../../src/store/state.js';
import { deepFreeze, makeRuntimeEntry, makeSendError, makeTicket, T0 } from './helpers/tickets.js';

const AT = '2026-11-25T07:00:00Z';
const KEY = 'OPS-101';
const OTHER = 'OPS-102';
const HOLDER = 'alice@buildbox pid 4242 (pickup)';
const RUNTIME: RuntimeRef = { host: 'h1', id: 'rt_1', name: 'mc-1' };
const BOUND: RuntimeBinding = { ...RUNTIME, adopted: false };
const ADOPTED: RuntimeBinding = { ...RUNTIME, adopted: true };
const OLD_MESSAGE: TicketMessageSummary = {
  id: 'm0',
  state: 'delivered',
  runtime: 'h0:rt_0',
  error: null,
};
const STALE_ERROR = { kind: 'server', status: 500, host: 'h0', message: 'old', at: T0 };

/** A ticket with history, in `state`, bound as given, with `messages` after an old delivered one. */
function ticketWith(
  state: TicketState,
  runtime: RuntimeBinding | null = BOUND,
  messages: TicketMessageSummary[] = [],
): Ticket {
  return makeTicket({
    key: KEY,
    state,
    runtime,
    lastError: STALE_ERROR,
    messages: [OLD_MESSAGE, ...messages],
    events: [{ at: T0, type: 'created', text: 'created' }],
  });
}

/** The ticket under test and a bystander, with a runtime entry, all frozen. */
function stateWith(ticket: Ticket): AppState {
  const bystander = makeTicket({ key: OTHER, state: 'in_progress', runtime: BOUND });
  return deepFreeze({
    ...emptyState(),
    tickets: { [KEY]: ticket, [OTHER]: bystander },
    ticketOrder: [KEY, OTHER],
    runtimes: { 'h1:rt_1': makeRuntimeEntry({ state: 'busy' }) },
  });
}

/** Runs the reducer on frozen input: a mutation anywhere throws instead of passing silently. */
function run(state: AppState, action: Action): { after: AppState; ticket: Ticket } {
  const after = reducer(deepFreeze(state), deepFreeze(action));
  const ticket = after.tickets[KEY];
  if (!ticket) throw new Error(`no ticket ${KEY}`);
  // Whatever the action, the bystander, the order and the runtimes are the same objects.
  expect(after.tickets[OTHER]).toBe(state.tickets[OTHER]);
  expect(after.ticketOrder).toBe(state.ticketOrder);
  expect(after.runtimes).toBe(state.runtimes);
  return { after, ticket };
}

/** The ticket is `before` plus one event of `type`: nothing else about it changed. */
function expectOnlyEvent(before: Ticket, ticket: Ticket, type: string): string {
  const event = ticket.events.at(-1);
  expect(ticket.events).toHaveLength(before.events.length + 1);
  expect(event).toMatchObject({ at: AT, type });
  expect(ticket).toEqual({ ...before, events: [...before.events, event], updatedAt: AT });
  return event?.text ?? '';
}

function expectNotification(after: AppState, level: 'error' | 'warning'): string {
  expect(after.notifications).toHaveLength(1);
  expect(after.notifications[0]).toMatchObject({
    id: 'n1',
    level,
    ticketKey: KEY,
    at: AT,
    seen: false,
  });
  expect(after.notificationSeq).toBe(1);
  return after.notifications[0]?.text ?? '';
}

const backToTodo = (from: TicketState): TicketState => (from === 'done' ? 'done' : 'todo');

describe('pickup rules: steps that only tell the timeline', () => {
  const rows: { name: string; action: Action; event: string; words: string[] }[] = [
    {
      name: 'pickup/claimed',
      action: { type: 'pickup/claimed', ticketKey: KEY, holder: HOLDER, at: AT },
      event: 'claimed',
      words: [HOLDER],
    },
    {
      name: 'pickup/runtimeStarted',
      action: {
        type: 'pickup/runtimeStarted',
        ticketKey: KEY,
        runtime: RUNTIME,
        profile: 'codex',
        cwd: '/srv/work/ops-101',
        at: AT,
      },
      event: 'runtime_started',
      words: ['h1:mc-1', 'codex', '/srv/work/ops-101'],
    },
    {
      name: 'send/retrying',
      action: {
        type: 'send/retrying',
        ticketKey: KEY,
        messageId: 'm1',
        runtime: RUNTIME,
        error: makeSendError('post_send', { message: 'socket hang up' }),
        attempt: 2,
        delayMs: 500,
        at: AT,
      },
      event: 'send_retrying',
      words: ['attempt 2', 'h1:mc-1', 'post_send', 'socket hang up', '500 ms', 'same key'],
    },
  ];

  describe.each(rows)('$name', ({ action, event, words }) => {
    it.each(TICKET_STATES)('from %s: one event, no notification, nothing else', (from) => {
      const before = ticketWith(from, from === 'todo' ? null : ADOPTED, [
        { id: 'm1', state: 'pending', runtime: 'h1:rt_1', error: null },
      ]);
      const start = stateWith(before);
      const { after, ticket } = run(start, action);
      const text = expectOnlyEvent(before, ticket, event);
      for (const word of words) expect(text).toContain(word);
      expect(after.notifications).toBe(start.notifications);
      expect(after.notificationSeq).toBe(0);
    });
  });
});

describe('pickup rules: claim/released', () => {
  it.each(TICKET_STATES)(
    'from %s: an event and a warning, the ticket otherwise unchanged',
    (from) => {
      const before = ticketWith(from);
      const { after, ticket } = run(stateWith(before), {
        type: 'claim/released',
        ticketKey: KEY,
        holder: HOLDER,
        at: AT,
      });
      const text = expectOnlyEvent(before, ticket, 'claim_released');
      expect(text).toContain(HOLDER);
      expect(expectNotification(after, 'warning')).toContain(`${KEY}: `);
    },
  );
});

describe('pickup rules: pickup/failed', () => {
  const rows = (['create', 'ready'] as PickupStage[]).flatMap((stage) =>
    TICKET_STATES.flatMap((from) =>
      [null, BOUND, ADOPTED].map((runtime) => ({ stage, from, runtime })),
    ),
  );

  it.each(rows)('$stage from $from bound $runtime.adopted', ({ stage, from, runtime }) => {
    const before = ticketWith(from, runtime);
    const error = makeSendError('unreachable', { message: 'connection refused' });
    const { after, ticket } = run(stateWith(before), {
      type: 'pickup/failed',
      ticketKey: KEY,
      stage,
      error,
      at: AT,
    });
    expect(ticket.state).toBe(backToTodo(from));
    expect(ticket.runtime).toBeNull();
    expect(ticket.lastError).toEqual({
      kind: 'unreachable',
      status: null,
      host: 'h1',
      message: 'connection refused',
      at: AT,
    });
    expect(ticket.messages).toEqual(before.messages);
    expect(ticket.events).toHaveLength(2);
    expect(ticket.events[1]).toMatchObject({ at: AT, type: 'pickup_failed' });
    const words = stage === 'create' ? 'starting a runtime failed' : 'did not become ready';
    expect(ticket.events[1]?.text).toContain(words);
    expect(ticket.events[1]?.text).toContain('connection refused');
    expect(ticket.updatedAt).toBe(AT);
    expect(expectNotification(after, 'error')).toContain('connection refused');
  });
});

describe('pickup rules: send/interrupted', () => {
  const rows = TICKET_STATES.flatMap((from) =>
    (['absent', 'pending'] as const).map((message) => ({ from, message })),
  );

  it.each(rows)('from $from with m1 $message', ({ from, message }) => {
    const m1: TicketMessageSummary = {
      id: 'm1',
      state: 'pending',
      runtime: 'h1:rt_1',
      error: null,
    };
    const before = ticketWith(from, ADOPTED, message === 'pending' ? [m1] : []);
    const { after, ticket } = run(stateWith(before), {
      type: 'send/interrupted',
      ticketKey: KEY,
      messageId: 'm1',
      runtime: RUNTIME,
      holder: HOLDER,
      at: AT,
    });
    expect(ticket.messages).toEqual([
      OLD_MESSAGE,
      { id: 'm1', state: 'unknown', runtime: 'h1:rt_1', error: 'interrupted' },
    ]);
    expect(ticket.state).toBe(backToTodo(from));
    expect(ticket.runtime).toBeNull();
    expect(ticket.lastError).toMatchObject({
      kind: 'interrupted',
      status: null,
      host: 'h1',
      at: AT,
    });
    expect(ticket.lastError?.message).toContain(HOLDER);
    expect(ticket.events.slice(1)).toEqual([
      { at: AT, type: 'send_interrupted', text: expect.stringContaining('h1:mc-1') },
    ]);
    expect(expectNotification(after, 'error')).toContain('unknown');
  });
});

describe('pickup rules: send/cancelled', () => {
  const MESSAGE_STATES = ['pending', 'delivered', 'failed', 'unknown', 'absent'] as const;
  const rows = MESSAGE_STATES.flatMap((message) =>
    TICKET_STATES.flatMap((from) =>
      [null, BOUND, ADOPTED].map((runtime) => ({ message, from, runtime })),
    ),
  );

  it.each(rows)(
    'm1 $message, ticket $from, bound $runtime.adopted',
    ({ message, from, runtime }) => {
      const m1: TicketMessageSummary[] =
        message === 'absent' ? [] : [{ id: 'm1', state: message, runtime: 'h1:rt_1', error: null }];
      const before = ticketWith(from, runtime, m1);
      const start = stateWith(before);
      const { after, ticket } = run(start, {
        type: 'send/cancelled',
        ticketKey: KEY,
        messageId: 'm1',
        by: HOLDER,
        at: AT,
      });
      if (message !== 'pending') {
        // Only a waiting message can be cancelled; anything else is left as it is.
        expect(after).toBe(start);
        return;
      }
      expect(ticket.messages).toEqual([
        OLD_MESSAGE,
        { id: 'm1', state: 'failed', runtime: 'h1:rt_1', error: 'cancelled' },
      ]);
      // An adopted binding, or a ticket queued behind another one's (in progress, unbound),
      // waits on the message; cancelled, it is free again.
      const queued = runtime === null && (from === 'in_progress' || from === 'needs_input');
      if (runtime?.adopted || queued) {
        expect(ticket.runtime).toBeNull();
        expect(ticket.state).toBe(backToTodo(from));
      } else {
        expect(ticket.runtime).toEqual(runtime);
        expect(ticket.state).toBe(from);
      }
      expect(ticket.lastError).toEqual(STALE_ERROR);
      expect(ticket.events.slice(1)).toEqual([
        { at: AT, type: 'send_cancelled', text: `message cancelled by ${HOLDER}` },
      ]);
      expect(after.notifications).toEqual([]);
    },
  );
});

describe('pickup rules: unknown ticket keys change nothing', () => {
  const error = makeSendError('server');
  const ref = RUNTIME;
  const ticketKey = 'NOPE-1';
  const actions: Action[] = [
    { type: 'pickup/claimed', ticketKey, holder: HOLDER, at: AT },
    { type: 'pickup/runtimeStarted', ticketKey, runtime: ref, profile: 'p', cwd: '/', at: AT },
    { type: 'pickup/failed', ticketKey, stage: 'create', error, at: AT },
    {
      type: 'send/retrying',
      ticketKey,
      messageId: 'm1',
      runtime: ref,
      error,
      attempt: 1,
      delayMs: 1,
      at: AT,
    },
    { type: 'send/interrupted', ticketKey, messageId: 'm1', runtime: ref, holder: HOLDER, at: AT },
    { type: 'send/cancelled', ticketKey, messageId: 'm1', by: HOLDER, at: AT },
    { type: 'claim/released', ticketKey, holder: HOLDER, at: AT },
  ];
  const m1: TicketMessageSummary = { id: 'm1', state: 'pending', runtime: 'h1:rt_1', error: null };
  const start = stateWith(ticketWith('in_progress', ADOPTED, [m1]));

  it.each(actions.map((a) => [a.type, a] as const))('%s returns the same state', (_t, action) => {
    expect(reducer(start, deepFreeze(action))).toBe(start);
    // The same action on the known key does change it: the test above can fail.
    const known = JSON.parse(JSON.stringify(action).replaceAll(ticketKey, KEY)) as Action;
    expect(reducer(start, deepFreeze(known))).not.toBe(start);
  });
});
