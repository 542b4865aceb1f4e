import { describe, expect, it } from 'vitest';
import {
  type MessageState,
  type RuntimeBinding,
  type RuntimeRef,
  type RuntimeState,
  SEND_ERROR_KINDS,
  type SendErrorKind,
  TICKET_STATES,
  type Ticket,
  type TicketState,
} from '../../src/domain/index.js';
import type { Action } from '../../src/store/actions.js';
import { reducer } from '../../src/store/reducer.js';
import {
  type AppState,
  emptyState,
  type NotificationLevel,
  stateWithFirstPage,
} from '../../src/store/state.js';
import { ticketStateGiven } from '../../src/store/ticket-follow.js';
import {
  deepFreeze,
  makeRuntime,
  makeRuntimeEntry,
  makeSendError,
  makeTicket,
  STATUS_FOR_KIND,
  T0,
} from './helpers/tickets.js';

const AT = '2026-11-25T07:00:00Z';
const at = AT;
const KEY = 'OPS-101';
const RUNTIME: RuntimeRef = { host: 'h1', id: 'rt_1', name: 'mc-1' };
/** Where the ticket was bound before the send under test: a different runtime on another host. */
const OLD_BINDING: RuntimeBinding = { host: 'h0', id: 'rt_0', name: 'mc-0', adopted: false };
const STALE_ERROR = { kind: 'server', status: 500, host: 'h0', message: 'old', at: T0 };

function stateOf(tickets: Ticket[], extra: Partial<AppState> = {}): AppState {
  const byKey: Record<string, Ticket> = {};
  for (const t of tickets) byKey[t.key] = t;
  return deepFreeze({
    ...emptyState(),
    tickets: byKey,
    ticketOrder: tickets.map((t) => t.key),
    ...extra,
  });
}

/** Runs the reducer on frozen input, so a mutation anywhere throws instead of passing silently. */
function run(state: AppState, action: Action): AppState {
  return reducer(deepFreeze(state), deepFreeze(action));
}

function ticketIn(state: AppState, key = KEY): Ticket {
  const ticket = state.tickets[key];
  if (!ticket) throw new Error(`no ticket ${key}`);
  return ticket;
}

/** A ticket that has been worked on before: bound elsewhere, with an old error and an old event. */
function startingTicket(state: TicketState): Ticket {
  return makeTicket({
    key: KEY,
    state,
    runtime: OLD_BINDING,
    lastError: STALE_ERROR,
    messages: [{ id: 'm0', state: 'delivered', runtime: 'h0:rt_0', error: null }],
    events: [{ at: T0, type: 'created', text: 'created' }],
  });
}

function startingState(state: TicketState): AppState {
  return stateOf([startingTicket(state)], {
    runtimes: { 'h1:rt_1': makeRuntimeEntry({ host: 'h1', id: 'rt_1', state: 'busy' }) },
  });
}

// The table's rows use a timeout after the body went out (makeSendError's default).
const EXPECTED_MESSAGE_STATE: Record<SendErrorKind, MessageState> = {
  busy: 'pending',
  auth: 'failed',
  server: 'failed',
  timeout: 'unknown',
  post_send: 'unknown',
  unreachable: 'failed',
  not_found: 'failed',
  invalid: 'failed',
  input_not_empty: 'failed',
};

interface SendRow {
  outcome: 'delivered' | SendErrorKind;
  from: TicketState;
  state: TicketState;
  adopted: boolean | null;
  message: MessageState;
  messageError: string | null;
  lastError: boolean;
  event: string;
  notification: NotificationLevel | null;
  runtimeGone: boolean;
}

const SEND_ROWS: SendRow[] = [
  ...TICKET_STATES.map(
    (from): SendRow => ({
      outcome: 'delivered',
      from,
      state: 'in_progress',
      adopted: false,
      message: 'delivered',
      messageError: null,
      lastError: false,
      event: 'send_delivered',
      notification: null,
      runtimeGone: false,
    }),
  ),
  ...SEND_ERROR_KINDS.flatMap((kind) =>
    TICKET_STATES.map(
      (from): SendRow =>
        kind === 'busy'
          ? {
              outcome: kind,
              from,
              state: 'in_progress',
              adopted: true,
              message: 'pending',
              messageError: null,
              lastError: false,
              event: 'runtime_adopted',
              notification: 'warning',
              runtimeGone: false,
            }
          : {
              outcome: kind,
              from,
              state: from === 'done' ? 'done' : 'todo',
              adopted: null,
              message: EXPECTED_MESSAGE_STATE[kind],
              messageError: kind,
              lastError: true,
              event: 'send_failed',
              notification: 'error',
              runtimeGone: kind === 'not_found',
            },
    ),
  ),
];

function sendAction(outcome: SendRow['outcome']): Action {
  if (outcome === 'delivered') {
    return { type: 'send/delivered', ticketKey: KEY, messageId: 'm1', runtime: RUNTIME, at: AT };
  }
  return {
    type: 'send/failed',
    ticketKey: KEY,
    messageId: 'm1',
    runtime: RUNTIME,
    error: makeSendError(outcome),
    at: AT,
  };
}

describe('reducer: send outcomes', () => {
  it('covers every outcome from every starting state', () => {
    expect(SEND_ROWS).toHaveLength((SEND_ERROR_KINDS.length + 1) * TICKET_STATES.length);
  });

  describe.each(SEND_ROWS)('$outcome from $from', (row) => {
    const before = startingState(row.from);
    const after = run(before, sendAction(row.outcome));
    const ticket = ticketIn(after);

    it(`puts the ticket in ${row.state}`, () => {
      expect(ticket.state).toBe(row.state);
    });

    it('binds or unbinds the ticket, with adopted only for busy', () => {
      if (row.adopted === null) {
        expect(ticket.runtime).toBeNull();
      } else {
        expect(ticket.runtime).toEqual({ ...RUNTIME, adopted: row.adopted });
      }
    });

    it(`records message m1 as ${row.message}, keeping older messages`, () => {
      expect(ticket.messages).toEqual([
        { id: 'm0', state: 'delivered', runtime: 'h0:rt_0', error: null },
        { id: 'm1', state: row.message, runtime: 'h1:rt_1', error: row.messageError },
      ]);
    });

    it('sets or clears lastError', () => {
      if (row.lastError) {
        const kind = row.outcome as SendErrorKind;
        expect(ticket.lastError).toEqual({
          kind,
          status: STATUS_FOR_KIND[kind],
          host: 'h1',
          message: `the host said ${kind}`,
          at: AT,
        });
      } else {
        expect(ticket.lastError).toBeNull();
      }
    });

    it(`appends a ${row.event} event`, () => {
      expect(ticket.events).toHaveLength(2);
      expect(ticket.events[0]).toEqual({ at: T0, type: 'created', text: 'created' });
      expect(ticket.events[1]).toMatchObject({ at: AT, type: row.event });
      expect(ticket.updatedAt).toBe(AT);
    });

    it(`notifies at level ${row.notification ?? 'none'}`, () => {
      if (row.notification === null) {
        expect(after.notifications).toEqual([]);
        expect(after.notificationSeq).toBe(0);
        return;
      }
      expect(after.notifications).toHaveLength(1);
      expect(after.notifications[0]).toMatchObject({
        id: 'n1',
        level: row.notification,
        ticketKey: KEY,
        at: AT,
        seen: false,
      });
      expect(after.notificationSeq).toBe(1);
    });

    it(row.runtimeGone ? 'marks the runtime gone' : 'leaves the runtime entry alone', () => {
      expect(after.runtimes['h1:rt_1']?.gone).toBe(row.runtimeGone);
      if (!row.runtimeGone) expect(after.runtimes).toBe(before.runtimes);
    });

    it('leaves the input state and the other tickets untouched', () => {
      expect(before).toEqual(startingState(row.from));
      expect(after.ticketOrder).toBe(before.ticketOrder);
    });
  });

  it.each(SEND_ERROR_KINDS.filter((k) => k !== 'busy'))(
    'a %s failure tells the host, the status and the server message in the event and notification',
    (kind) => {
      const error = makeSendError(kind, { host: 'h1', message: 'the words of the server' });
      const after = run(startingState('in_progress'), {
        type: 'send/failed',
        ticketKey: KEY,
        messageId: 'm1',
        runtime: RUNTIME,
        error,
        at: AT,
      });
      const texts = [ticketIn(after).events.at(-1)?.text, after.notifications[0]?.text];
      for (const text of texts) {
        expect(text).toContain('h1');
        expect(text).toContain('the words of the server');
        if (error.status !== null) expect(text).toContain(String(error.status));
      }
    },
  );

  it('a busy answer keeps the queued message pending, not duplicated', () => {
    let state = stateOf([makeTicket({ key: KEY })]);
    state = run(state, {
      type: 'send/queued',
      ticketKey: KEY,
      messageId: 'm1',
      runtime: RUNTIME,
      at: T0,
    });
    expect(ticketIn(state).messages).toEqual([
      { id: 'm1', state: 'pending', runtime: 'h1:rt_1', error: null },
    ]);
    expect(ticketIn(state).events.at(-1)?.type).toBe('send_queued');
    state = run(state, sendAction('busy'));
    expect(ticketIn(state).messages).toEqual([
      { id: 'm1', state: 'pending', runtime: 'h1:rt_1', error: null },
    ]);
    state = run(state, sendAction('delivered'));
    expect(ticketIn(state).messages).toEqual([
      { id: 'm1', state: 'delivered', runtime: 'h1:rt_1', error: null },
    ]);
    expect(ticketIn(state).runtime?.adopted).toBe(false);
  });

  it('a not_found failure for a runtime that was never listed adds no entry', () => {
    const before = stateOf([makeTicket({ key: KEY, state: 'in_progress' })]);
    const after = run(before, sendAction('not_found'));
    expect(after.runtimes).toEqual({});
    expect(ticketIn(after).state).toBe('todo');
  });

  it('numbers notifications one after another', () => {
    let state = startingState('todo');
    state = run(state, sendAction('server'));
    state = run(state, sendAction('busy'));
    expect(state.notifications.map((n) => [n.id, n.level])).toEqual([
      ['n1', 'error'],
      ['n2', 'warning'],
    ]);
    expect(state.notificationSeq).toBe(2);
  });
});

describe('reducer: a busy answer adopts a free runtime, and queues behind another ticket', () => {
  const OTHER = 'OPS-102';
  // heldBy: the ticket the runtime is bound to when it answered busy.
  const rows = TICKET_STATES.flatMap((from) =>
    [
      { heldBy: null, outcome: 'adopted' },
      { heldBy: KEY, outcome: 'adopted' },
      { heldBy: OTHER, outcome: 'queued' },
    ].map((row) => ({ ...row, from })),
  );

  it.each(rows)('held by $heldBy, from $from: $outcome', ({ heldBy, outcome, from }) => {
    const holder = makeTicket({
      key: OTHER,
      state: 'in_progress',
      runtime: { ...RUNTIME, adopted: false },
    });
    const before = stateOf([startingTicket(from), holder]);
    const action = { ...sendAction('busy'), heldBy } as Action;
    const after = run(before, action);
    const ticket = ticketIn(after);
    expect(ticket.state).toBe('in_progress');
    expect(ticket.lastError).toBeNull();
    expect(ticket.messages.at(-1)).toEqual({
      id: 'm1',
      state: 'pending',
      runtime: 'h1:rt_1',
      error: null,
    });
    // The ticket the runtime works on keeps it, whatever the answer.
    expect(after.tickets[OTHER]).toBe(holder);
    const event = ticket.events.at(-1);
    if (outcome === 'adopted') {
      expect(ticket.runtime).toEqual({ ...RUNTIME, adopted: true });
      expect(event?.type).toBe('runtime_adopted');
    } else {
      expect(ticket.runtime).toBeNull();
      expect(event).toMatchObject({ at: AT, type: 'runtime_queued' });
      expect(event?.text).toContain(`queued on h1:mc-1 after ${OTHER}`);
      expect(after.notifications.at(-1)).toMatchObject({ level: 'warning', ticketKey: KEY });
    }
  });

  it('the queued ticket is bound once its message is delivered', () => {
    let state = stateOf([makeTicket({ key: KEY })]);
    state = run(state, { ...sendAction('busy'), heldBy: OTHER } as Action);
    expect(ticketIn(state).runtime).toBeNull();
    state = run(state, sendAction('delivered'));
    expect(ticketIn(state).runtime).toEqual({ ...RUNTIME, adopted: false });
    expect(ticketIn(state).messages.at(-1)?.state).toBe('delivered');
  });
});

describe('reducer: runtime/movedOn', () => {
  const ELSEWHERE: RuntimeBinding = { host: 'h1', id: 'rt_2', name: 'mc-2', adopted: false };
  const rows = [
    { bound: { ...RUNTIME, adopted: false }, to: 'OPS-102', lets: true },
    { bound: { ...RUNTIME, adopted: true }, to: 'OPS-102', lets: true },
    { bound: ELSEWHERE, to: 'OPS-102', lets: false },
    { bound: null, to: 'OPS-102', lets: false },
    // The runtime moving on to this very ticket is no move at all.
    { bound: { ...RUNTIME, adopted: false }, to: KEY, lets: false },
  ];

  it.each(TICKET_STATES.flatMap((from) => rows.map((row) => ({ ...row, from }))))(
    'bound $bound.id, to $to, from $from',
    ({ bound, to, lets, from }) => {
      const before = stateOf([makeTicket({ key: KEY, state: from, runtime: bound })]);
      const after = run(before, {
        type: 'runtime/movedOn',
        ticketKey: KEY,
        runtime: RUNTIME,
        to,
        at: AT,
      });
      if (!lets) {
        expect(after).toBe(before);
        return;
      }
      const ticket = ticketIn(after);
      expect(ticket.runtime).toBeNull();
      // The work done so far is the operator's to judge: the state stays.
      expect(ticket.state).toBe(from);
      expect(ticket.events.at(-1)).toMatchObject({ at: AT, type: 'runtime_moved_on' });
      expect(ticket.events.at(-1)?.text).toContain(`h1:mc-1 moved on to ${to}`);
    },
  );
});

describe('reducer: nothing but a busy answer sets adopted', () => {
  const STATE_PAIRS = TICKET_STATES.flatMap((from) => TICKET_STATES.map((to) => ({ from, to })));

  describe.each([false, true])('ticket/stateSet on a binding with adopted:%s', (adopted) => {
    it.each(STATE_PAIRS)('$from → $to', ({ from, to }) => {
      const binding: RuntimeBinding = { ...RUNTIME, adopted };
      const before = stateOf([makeTicket({ key: KEY, state: from, runtime: binding })]);
      const after = run(before, { type: 'ticket/stateSet', key: KEY, state: to, at: AT });
      if (from === to) {
        expect(after).toBe(before);
        return;
      }
      const ticket = ticketIn(after);
      expect(ticket.state).toBe(to);
      if (to === 'todo') expect(ticket.runtime).toBeNull();
      else expect(ticket.runtime).toEqual(binding);
      expect(ticket.events.at(-1)).toMatchObject({ at: AT, type: 'state_set' });
      expect(ticket.updatedAt).toBe(AT);
    });
  });

  it.each(TICKET_STATES)('ticket/stateSet never binds an unbound %s ticket', (from) => {
    const before = stateOf([makeTicket({ key: KEY, state: from })]);
    for (const to of TICKET_STATES.filter((s) => s !== from)) {
      const after = run(before, { type: 'ticket/stateSet', key: KEY, state: to, at: AT });
      expect(ticketIn(after).state).toBe(to);
      expect(ticketIn(after).runtime).toBeNull();
    }
  });

  it('send/queued neither binds nor adopts', () => {
    const before = stateOf([makeTicket({ key: KEY, state: 'todo' })]);
    const after = run(before, {
      type: 'send/queued',
      ticketKey: KEY,
      messageId: 'm1',
      runtime: RUNTIME,
      at: AT,
    });
    expect(ticketIn(after).messages).toHaveLength(1);
    expect(ticketIn(after).runtime).toBeNull();
    expect(ticketIn(after).state).toBe('todo');
  });

  it('runtime changes and list refreshes never set adopted', () => {
    const binding: RuntimeBinding = { ...RUNTIME, adopted: false };
    let state = stateOf([makeTicket({ key: KEY, state: 'in_progress', runtime: binding })], {
      runtimes: { 'h1:rt_1': makeRuntimeEntry({ state: 'idle' }) },
    });
    const steps: RuntimeState[] = ['busy', 'needs_input', 'busy', 'idle', 'exited'];
    for (const next of steps) {
      state = run(state, { type: 'runtime/stateChanged', host: 'h1', id: 'rt_1', state: next, at });
      expect(state.runtimes['h1:rt_1']?.state).toBe(next);
      expect(ticketIn(state).runtime).toEqual(binding);
      state = run(state, {
        type: 'runtimes/synced',
        host: 'h1',
        runtimes: [makeRuntime({ state: next })],
        at: AT,
      });
      expect(ticketIn(state).runtime).toEqual(binding);
    }
  });

  it('a delivery after adoption drops adopted; a failure after adoption unbinds', () => {
    let state = stateOf([makeTicket({ key: KEY })]);
    state = run(state, sendAction('busy'));
    expect(ticketIn(state).runtime).toEqual({ ...RUNTIME, adopted: true });
    state = run(state, sendAction('delivered'));
    expect(ticketIn(state).runtime).toEqual({ ...RUNTIME, adopted: false });
    state = run(state, sendAction('busy'));
    expect(ticketIn(state).runtime?.adopted).toBe(true);
    state = run(state, sendAction('unreachable'));
    expect(ticketIn(state).runtime).toBeNull();
    expect(ticketIn(state).state).toBe('todo');
  });
});

describe('reducer: tickets follow their runtime', () => {
  const bound = (state: TicketState, ref = RUNTIME, key = KEY) =>
    makeTicket({ key, state, runtime: { ...ref, adopted: false } });

  function withRuntime(tickets: Ticket[], runtimeState: RuntimeState): AppState {
    return stateOf(tickets, {
      runtimes: {
        'h1:rt_1': makeRuntimeEntry({ host: 'h1', id: 'rt_1', state: runtimeState }),
        'h2:rt_1': makeRuntimeEntry({ host: 'h2', id: 'rt_1', state: runtimeState }),
      },
    });
  }

  it('needs_input moves a bound in_progress ticket to needs_input; a later busy moves it back', () => {
    let state = withRuntime([bound('in_progress')], 'busy');
    state = run(state, {
      type: 'runtime/stateChanged',
      host: 'h1',
      id: 'rt_1',
      state: 'needs_input',
      at,
    });
    expect(ticketIn(state).state).toBe('needs_input');
    expect(ticketIn(state).events.at(-1)).toMatchObject({ type: 'needs_input', at });
    expect(state.runtimes['h1:rt_1']).toMatchObject({ state: 'needs_input', lastActivityAt: at });

    const later = '2026-11-25T07:05:00Z';
    state = run(state, {
      type: 'runtime/stateChanged',
      host: 'h1',
      id: 'rt_1',
      state: 'busy',
      at: later,
    });
    expect(ticketIn(state).state).toBe('in_progress');
    expect(ticketIn(state).events.at(-1)).toMatchObject({ type: 'resumed', at: later });
    expect(ticketIn(state).runtime).toEqual({ ...RUNTIME, adopted: false });
  });

  it('a timeout before the body went out is a plain failure, after it an unknown outcome', () => {
    for (const [bodySent, expected] of [
      [false, 'failed'],
      [true, 'unknown'],
    ] as const) {
      const before = withRuntime([bound('in_progress')], 'busy');
      const after = run(before, {
        type: 'send/failed',
        ticketKey: KEY,
        messageId: 'm-timeout',
        runtime: { host: 'h1', id: 'rt_1', name: 'mc-1' },
        error: makeSendError('timeout', { bodySent }),
        at,
      });
      expect(ticketIn(after).messages.find((m) => m.id === 'm-timeout')?.state).toBe(expected);
      expect(ticketIn(after).state).toBe('todo');
      expect(ticketIn(after).runtime).toBeNull();
    }
  });

  it('a refresh that stored the answer resumes a needs_input ticket: it follows the list too', () => {
    let state = withRuntime([bound('in_progress')], 'busy');
    state = run(state, {
      type: 'runtime/stateChanged',
      host: 'h1',
      id: 'rt_1',
      state: 'needs_input',
      at,
    });
    expect(ticketIn(state).state).toBe('needs_input');
    const runtime = state.runtimes['h1:rt_1'];
    if (!runtime) throw new Error('runtime missing');
    const { gone: _gone, ...reported } = runtime;
    state = run(state, {
      type: 'runtimes/synced',
      host: 'h1',
      runtimes: [{ ...reported, state: 'idle' }],
      at,
    });
    expect(ticketIn(state).state).toBe('in_progress');
    expect(ticketIn(state).events.at(-1)).toMatchObject({ type: 'resumed', at });
  });

  it('a refresh that reports what is stored returns the same state (nothing re-renders)', () => {
    const before = withRuntime([bound('in_progress')], 'busy');
    const runtime = before.runtimes['h1:rt_1'];
    if (!runtime) throw new Error('runtime missing');
    const { gone: _gone, ...reported } = runtime;
    const after = run(before, { type: 'runtimes/synced', host: 'h1', runtimes: [reported], at });
    expect(after).toBe(before);
    const changed = run(before, {
      type: 'runtimes/synced',
      host: 'h1',
      runtimes: [{ ...reported, cwd: '/elsewhere' }],
      at,
    });
    expect(changed).not.toBe(before);
    expect(changed.runtimes['h1:rt_1']?.cwd).toBe('/elsewhere');
  });

  it.each(['idle', 'starting', 'unknown'] as const)(
    'an answered question (runtime %s) resumes a needs_input ticket',
    (next) => {
      const before = withRuntime([bound('needs_input')], 'needs_input');
      const after = run(before, {
        type: 'runtime/stateChanged',
        host: 'h1',
        id: 'rt_1',
        state: next,
        at,
      });
      expect(ticketIn(after).state).toBe('in_progress');
      expect(ticketIn(after).events.at(-1)).toMatchObject({ type: 'resumed', at });
      expect(ticketIn(after).runtime).toEqual(ticketIn(before).runtime);
    },
  );

  it.each(['todo', 'review', 'done'] as const)('never moves a bound %s ticket', (ticketState) => {
    let state = withRuntime([bound(ticketState)], 'busy');
    const ticket = ticketIn(state);
    for (const next of ['needs_input', 'busy', 'idle', 'needs_input', 'exited'] as const) {
      state = run(state, { type: 'runtime/stateChanged', host: 'h1', id: 'rt_1', state: next, at });
      expect(state.runtimes['h1:rt_1']?.state).toBe(next);
      expect(ticketIn(state)).toBe(ticket);
    }
  });

  it('never touches unbound tickets or tickets bound to another runtime', () => {
    const before = withRuntime(
      [
        bound('in_progress'),
        makeTicket({ key: 'OPS-2', state: 'in_progress' }),
        bound('in_progress', { host: 'h2', id: 'rt_1', name: 'mc-1' }, 'OPS-3'),
        bound('in_progress', { host: 'h1', id: 'rt_2', name: 'mc-2' }, 'OPS-4'),
      ],
      'busy',
    );
    const after = run(before, {
      type: 'runtime/stateChanged',
      host: 'h1',
      id: 'rt_1',
      state: 'needs_input',
      at,
    });
    expect(ticketIn(after).state).toBe('needs_input');
    for (const key of ['OPS-2', 'OPS-3', 'OPS-4'])
      expect(after.tickets[key]).toBe(before.tickets[key]);
    expect(after.runtimes['h2:rt_1']).toBe(before.runtimes['h2:rt_1']);
  });

  it('moves every in_progress ticket bound to the runtime', () => {
    const before = withRuntime(
      [bound('in_progress'), bound('in_progress', RUNTIME, 'OPS-2')],
      'busy',
    );
    const after = run(before, {
      type: 'runtime/stateChanged',
      host: 'h1',
      id: 'rt_1',
      state: 'needs_input',
      at,
    });
    expect(ticketIn(after, KEY).state).toBe('needs_input');
    expect(ticketIn(after, 'OPS-2').state).toBe('needs_input');
  });

  it('a state change to the same state is a no-op', () => {
    const before = withRuntime([bound('in_progress')], 'busy');
    const after = run(before, {
      type: 'runtime/stateChanged',
      host: 'h1',
      id: 'rt_1',
      state: 'busy',
      at,
    });
    expect(after).toBe(before);
  });
});

describe('reducer: runtimes/synced', () => {
  const bound = (state: TicketState, key = KEY) =>
    makeTicket({ key, state, runtime: { ...RUNTIME, adopted: false } });

  function synced(runtimes: ReturnType<typeof makeRuntime>[], host = 'h1'): Action {
    return { type: 'runtimes/synced', host, runtimes, at };
  }

  const LIST_ROWS = (['todo', 'in_progress', 'needs_input', 'review', 'done'] as const).flatMap(
    (ticketState) =>
      (['needs_input', 'busy', 'idle', 'exited'] as const).flatMap((before) =>
        (['busy', 'idle', 'needs_input', 'starting', 'unknown', 'exited'] as const)
          .filter((now) => now !== before)
          .map((now) => ({
            ticketState,
            before,
            now,
            expected: ticketStateGiven(ticketState, now),
          })),
      ),
  );

  it.each(LIST_ROWS)(
    'a bound $ticketState ticket, runtime $before → $now in a list: $expected',
    ({ ticketState, before, now, expected }) => {
      const start = stateOf([bound(ticketState)], {
        runtimes: { 'h1:rt_1': makeRuntimeEntry({ state: before }) },
      });
      const after = run(start, synced([makeRuntime({ state: now })]));
      expect(after.runtimes['h1:rt_1']).toMatchObject({ state: now, gone: false });
      if (expected === ticketState) expect(ticketIn(after)).toBe(ticketIn(start));
      else expect(ticketIn(after).state).toBe(expected);
    },
  );

  it('a control room started while the agent asks shows the ticket needing input', () => {
    // Nothing known of the runtime yet: the first list is all there is (no transition seen).
    const start = stateOf([bound('in_progress')]);
    const after = run(start, synced([makeRuntime({ state: 'needs_input' })]));
    expect(ticketIn(after).state).toBe('needs_input');
  });

  it('a runtime the list no longer holds moves no ticket (its page says it is gone)', () => {
    const start = stateOf([bound('needs_input'), bound('in_progress', 'OPS-2')], {
      runtimes: { 'h1:rt_1': makeRuntimeEntry({ state: 'needs_input' }) },
    });
    const after = run(start, synced([]));
    expect(after.runtimes['h1:rt_1']?.gone).toBe(true);
    expect(after.tickets[KEY]).toBe(start.tickets[KEY]);
    expect(after.tickets['OPS-2']).toBe(start.tickets['OPS-2']);
  });

  it('a list of another host leaves the ticket alone', () => {
    const start = stateOf([bound('needs_input')]);
    const after = run(start, synced([], 'h2'));
    expect(after.tickets[KEY]).toBe(start.tickets[KEY]);
  });

  it.each(['busy', 'idle', 'exited'] as const)(
    'leaves a bound in_progress ticket alone when its runtime is %s',
    (now) => {
      const start = stateOf([bound('in_progress')], {
        runtimes: { 'h1:rt_1': makeRuntimeEntry({ state: 'starting' }) },
      });
      const after = run(start, synced([makeRuntime({ state: now })]));
      expect(after.runtimes['h1:rt_1']?.state).toBe(now);
      expect(ticketIn(after)).toBe(ticketIn(start));
    },
  );

  it("marks the host's missing runtimes gone, revives listed ones, leaves other hosts alone", () => {
    const start = stateOf([], {
      runtimes: {
        'h1:rt_1': makeRuntimeEntry({ host: 'h1', id: 'rt_1' }),
        'h1:rt_2': makeRuntimeEntry({ host: 'h1', id: 'rt_2', gone: true }),
        'h1:rt_3': makeRuntimeEntry({ host: 'h1', id: 'rt_3' }),
        'h2:rt_1': makeRuntimeEntry({ host: 'h2', id: 'rt_1' }),
        'h2:rt_3': makeRuntimeEntry({ host: 'h2', id: 'rt_3', gone: true }),
      },
    });
    const after = run(
      start,
      synced([
        makeRuntime({ host: 'ignored', id: 'rt_2', state: 'busy' }),
        makeRuntime({ id: 'rt_4', name: 'mc-4' }),
      ]),
    );
    expect(after.runtimes['h1:rt_1']?.gone).toBe(true);
    expect(after.runtimes['h1:rt_3']?.gone).toBe(true);
    expect(after.runtimes['h1:rt_2']).toMatchObject({ host: 'h1', state: 'busy', gone: false });
    expect(after.runtimes['h1:rt_4']).toMatchObject({ host: 'h1', name: 'mc-4', gone: false });
    expect(after.runtimes['h2:rt_1']).toBe(start.runtimes['h2:rt_1']);
    expect(after.runtimes['h2:rt_3']).toBe(start.runtimes['h2:rt_3']);
    expect(Object.keys(after.runtimes).sort()).toEqual([
      'h1:rt_1',
      'h1:rt_2',
      'h1:rt_3',
      'h1:rt_4',
      'h2:rt_1',
      'h2:rt_3',
    ]);
  });

  it('an empty list marks every runtime of the host gone', () => {
    const start = stateOf([], {
      runtimes: {
        'h1:rt_1': makeRuntimeEntry({ host: 'h1', id: 'rt_1' }),
        'h2:rt_1': makeRuntimeEntry({ host: 'h2', id: 'rt_1' }),
      },
    });
    const after = run(start, synced([]));
    expect(after.runtimes['h1:rt_1']?.gone).toBe(true);
    expect(after.runtimes['h2:rt_1']?.gone).toBe(false);
  });
});

describe('reducer: tickets/loaded and ticket/upserted', () => {
  it('tickets/loaded replaces tickets and order, keeping runtimes and notifications', () => {
    const start = stateOf([makeTicket({ key: 'OLD-1' })], {
      runtimes: { 'h1:rt_1': makeRuntimeEntry() },
      notifications: [{ id: 'n1', level: 'info', ticketKey: null, text: 'x', at, seen: false }],
      notificationSeq: 1,
    });
    const a = makeTicket({ key: 'A-1' });
    const b = makeTicket({ key: 'B-1', state: 'review' });
    const after = run(start, { type: 'tickets/loaded', tickets: [a, b] });
    expect(after.tickets).toEqual({ 'A-1': a, 'B-1': b });
    expect(after.ticketOrder).toEqual(['A-1', 'B-1']);
    expect(after.runtimes).toBe(start.runtimes);
    expect(after.notifications).toBe(start.notifications);
    expect(after.notificationSeq).toBe(1);
  });

  it('a first page keeps the counts of all until tickets/loaded brings the rest', () => {
    const page = [makeTicket({ key: 'A-3' }), makeTicket({ key: 'A-2', state: 'done' })];
    const totals = {
      total: 3,
      byState: { todo: 2, in_progress: 0, needs_input: 0, review: 0, done: 1 },
    };
    const first = stateWithFirstPage(page, totals);
    expect(first.ticketOrder).toEqual(['A-3', 'A-2']);
    expect(first.ticketTotals).toEqual(totals);
    // A page that is the whole list needs no stored counts.
    expect(stateWithFirstPage(page, { ...totals, total: 2 }).ticketTotals).toBeNull();
    const all = [...page, makeTicket({ key: 'A-1' })];
    const after = run(first, { type: 'tickets/loaded', tickets: all });
    expect(after.ticketOrder).toEqual(['A-3', 'A-2', 'A-1']);
    expect(after.ticketTotals).toBeNull();
  });

  it('ticket/upserted puts a new key first and replaces an existing one in place', () => {
    const start = stateOf([makeTicket({ key: 'A-1' }), makeTicket({ key: 'B-1' })]);
    const added = run(start, { type: 'ticket/upserted', ticket: makeTicket({ key: 'C-1' }) });
    expect(added.ticketOrder).toEqual(['C-1', 'A-1', 'B-1']);
    const changed = makeTicket({ key: 'B-1', title: 'changed' });
    const replaced = run(added, { type: 'ticket/upserted', ticket: changed });
    expect(replaced.ticketOrder).toEqual(['C-1', 'A-1', 'B-1']);
    expect(replaced.tickets['B-1']).toEqual(changed);
  });
});

describe('reducer: unknown ticket keys change nothing', () => {
  const start = stateOf([makeTicket({ key: KEY, state: 'in_progress' })]);
  const ref = RUNTIME;
  const actions: [string, Action][] = [
    ['ticket/stateSet', { type: 'ticket/stateSet', key: 'NOPE-1', state: 'done', at }],
    [
      'send/queued',
      { type: 'send/queued', ticketKey: 'NOPE-1', messageId: 'm1', runtime: ref, at },
    ],
    [
      'send/delivered',
      { type: 'send/delivered', ticketKey: 'NOPE-1', messageId: 'm1', runtime: ref, at },
    ],
    ...SEND_ERROR_KINDS.map((kind): [string, Action] => [
      `send/failed ${kind}`,
      {
        type: 'send/failed',
        ticketKey: 'NOPE-1',
        messageId: 'm1',
        runtime: ref,
        error: makeSendError(kind),
        at,
      },
    ]),
  ];

  it.each(actions)('%s returns the same state object', (_name, action) => {
    expect(run(start, action)).toBe(start);
  });

  it('the same actions on a known key do change the state', () => {
    for (const [, action] of actions) {
      const known = JSON.parse(JSON.stringify(action).replaceAll('NOPE-1', KEY)) as Action;
      expect(run(start, known)).not.toBe(start);
    }
  });
});

describe('reducer: notifications', () => {
  const notes = (seen: boolean[]) =>
    seen.map((s, i) => ({
      id: `n${i + 1}`,
      level: 'error' as const,
      ticketKey: KEY,
      text: `note ${i + 1}`,
      at,
      seen: s,
    }));

  it('notification/seen marks that one only', () => {
    const start = stateOf([], { notifications: notes([false, false, true]), notificationSeq: 3 });
    const after = run(start, { type: 'notification/seen', id: 'n2' });
    expect(after.notifications.map((n) => n.seen)).toEqual([false, true, true]);
    expect(after.notifications[0]).toBe(start.notifications[0]);
    expect(after.notificationSeq).toBe(3);
  });

  it('notification/seen of an unknown or already seen id is a no-op', () => {
    const start = stateOf([], { notifications: notes([false, true]), notificationSeq: 2 });
    expect(run(start, { type: 'notification/seen', id: 'n9' })).toBe(start);
    expect(run(start, { type: 'notification/seen', id: 'n2' })).toBe(start);
  });

  it('notifications/allSeen marks every notification seen', () => {
    const start = stateOf([], { notifications: notes([false, true, false]), notificationSeq: 3 });
    const after = run(start, { type: 'notifications/allSeen' });
    expect(after.notifications.map((n) => n.seen)).toEqual([true, true, true]);
    expect(after.notifications.map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);
  });

  it('notifications/allSeen with nothing unseen is a no-op', () => {
    const start = stateOf([], { notifications: notes([true, true]), notificationSeq: 2 });
    expect(run(start, { type: 'notifications/allSeen' })).toBe(start);
    const empty = stateOf([]);
    expect(run(empty, { type: 'notifications/allSeen' })).toBe(empty);
  });
});
