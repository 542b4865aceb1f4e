import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HostedRuntime,
  RUNTIME_STATES,
  type RuntimeRef,
  SEND_ERROR_KINDS,
  type SendError,
  TICKET_STATES,
  type Ticket,
} from '../../src/domain/index.js';
import type { Action } from '../../src/store/actions.js';
import { reducer } from '../../src/store/reducer.js';
import { type AppState, emptyState, type RuntimeEntry } from '../../src/store/state.js';
import { ticketStateGiven } from '../../src/store/ticket-follow.js';
import { deepFreeze, makeRuntime, makeRuntimeEntry, makeTicket } from './helpers/tickets.js';

const KEYS = ['P-1', 'P-2', 'P-3'] as const;
const HOSTS = ['h1', 'h2'] as const;
const IDS = ['rt_1', 'rt_2', 'rt_3'] as const;
const MESSAGE_IDS = ['m1', 'm2', 'm3'] as const;

const atArb = fc
  .integer({ min: 0, max: 86_400 })
  .map((s) => `${new Date(Date.UTC(2026, 10, 25) + s * 1000).toISOString().slice(0, 19)}Z`);
const keyArb = fc.constantFrom(...KEYS);
// Skewed towards h1:rt_1, so that sends, state changes and refreshes often meet on one runtime.
const hostArb = fc.oneof(
  { arbitrary: fc.constant(HOSTS[0]), weight: 3 },
  { arbitrary: fc.constant(HOSTS[1]), weight: 1 },
);
const idArb = fc.oneof(
  { arbitrary: fc.constant(IDS[0]), weight: 4 },
  { arbitrary: fc.constantFrom(...IDS.slice(1)), weight: 2 },
);
const refArb: fc.Arbitrary<RuntimeRef> = fc.record({
  host: hostArb,
  id: idArb,
  name: fc.option(fc.constantFrom('mc-a', 'mc-b'), { nil: null }),
});
const ticketStateArb = fc.constantFrom(...TICKET_STATES);
const runtimeStateArb = fc.constantFrom(...RUNTIME_STATES);
/** The two states tickets follow, more often than the rest. */
const followedStateArb = fc.oneof(
  { arbitrary: fc.constantFrom('needs_input' as const, 'busy' as const), weight: 3 },
  { arbitrary: runtimeStateArb, weight: 2 },
);

const sendErrorArb: fc.Arbitrary<SendError> = fc
  .record({
    kind: fc.constantFrom(...SEND_ERROR_KINDS),
    host: hostArb,
    status: fc.option(fc.constantFrom(400, 401, 403, 404, 409, 413, 422, 500, 502, 503), {
      nil: null,
    }),
    message: fc.string({ maxLength: 12 }),
    bodySent: fc.boolean(),
  })
  .map(
    ({ kind, bodySent, ...base }): SendError =>
      kind === 'timeout' ? { ...base, kind, bodySent } : { ...base, kind },
  );

const syncedArb = fc
  .tuple(
    hostArb,
    fc.uniqueArray(fc.record({ id: idArb, state: followedStateArb }), {
      selector: (r) => r.id,
      maxLength: 3,
    }),
    atArb,
  )
  .map(
    ([host, listed, at]): Action => ({
      type: 'runtimes/synced',
      host,
      runtimes: listed.map((r) =>
        makeRuntime({ host, id: r.id, name: `mc-${r.id}`, state: r.state }),
      ),
      at,
    }),
  );

const holderArb = fc.constantFrom('alice@h pid 1 (tui)', 'bob@h pid 2 (pickup)');
const messageIdArb = fc.constantFrom(...MESSAGE_IDS);

/** The dispatcher's steps around a send (`pickup-rules.ts`). */
const pickupActionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    type: fc.constant('pickup/claimed' as const),
    ticketKey: keyArb,
    holder: holderArb,
    at: atArb,
  }),
  fc.record({
    type: fc.constant('pickup/runtimeStarted' as const),
    ticketKey: keyArb,
    runtime: refArb,
    profile: fc.constantFrom('codex', 'shell'),
    cwd: fc.constantFrom('/srv/a', '/srv/b'),
    at: atArb,
  }),
  fc.record({
    type: fc.constant('pickup/failed' as const),
    ticketKey: keyArb,
    stage: fc.constantFrom('create' as const, 'ready' as const),
    error: sendErrorArb,
    at: atArb,
  }),
  fc.record({
    type: fc.constant('send/retrying' as const),
    ticketKey: keyArb,
    messageId: messageIdArb,
    runtime: refArb,
    error: sendErrorArb,
    attempt: fc.integer({ min: 1, max: 9 }),
    delayMs: fc.integer({ min: 0, max: 4000 }),
    at: atArb,
  }),
  fc.record({
    type: fc.constant('send/interrupted' as const),
    ticketKey: keyArb,
    messageId: messageIdArb,
    runtime: refArb,
    holder: holderArb,
    at: atArb,
  }),
  {
    arbitrary: fc.record({
      type: fc.constant('send/cancelled' as const),
      ticketKey: keyArb,
      messageId: messageIdArb,
      by: holderArb,
      at: atArb,
    }),
    weight: 2,
  },
  fc.record({
    type: fc.constant('claim/released' as const),
    ticketKey: keyArb,
    holder: holderArb,
    at: atArb,
  }),
);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: pickupActionArb, weight: 4 },
  fc.record({
    type: fc.constant('ticket/stateSet' as const),
    key: keyArb,
    state: ticketStateArb,
    at: atArb,
  }),
  fc.record({
    type: fc.constant('send/queued' as const),
    ticketKey: keyArb,
    messageId: fc.constantFrom(...MESSAGE_IDS),
    runtime: refArb,
    at: atArb,
  }),
  fc.record({
    type: fc.constant('send/delivered' as const),
    ticketKey: keyArb,
    messageId: fc.constantFrom(...MESSAGE_IDS),
    runtime: refArb,
    at: atArb,
  }),
  {
    arbitrary: fc.record({
      type: fc.constant('send/failed' as const),
      ticketKey: keyArb,
      messageId: fc.constantFrom(...MESSAGE_IDS),
      runtime: refArb,
      error: sendErrorArb,
      at: atArb,
      // The ticket the runtime is bound to when it answers: another one's busy queues.
      heldBy: fc.option(keyArb, { nil: null }),
    }),
    weight: 3,
  },
  fc.record({
    type: fc.constant('runtime/movedOn' as const),
    ticketKey: keyArb,
    runtime: refArb,
    to: keyArb,
    at: atArb,
  }),
  { arbitrary: syncedArb, weight: 2 },
  {
    arbitrary: fc.record({
      type: fc.constant('runtime/stateChanged' as const),
      host: hostArb,
      id: idArb,
      state: followedStateArb,
      at: atArb,
    }),
    weight: 4,
  },
  fc.record({
    type: fc.constant('notification/seen' as const),
    id: fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n9'),
  }),
  fc.constant<Action>({ type: 'notifications/allSeen' }),
  fc
    .tuple(keyArb, ticketStateArb)
    .map(
      ([key, state]): Action => ({ type: 'ticket/upserted', ticket: makeTicket({ key, state }) }),
    ),
);

/**
 * A busy answer, then at once a step that must undo the adoption (a cancel of that message, an
 * interrupted send, a failed pickup): rare in random sequences, so generated on purpose too.
 */
const adoptedThenArb: fc.Arbitrary<Action[]> = fc
  .tuple(keyArb, messageIdArb, refArb, sendErrorArb, holderArb, atArb)
  .chain(([ticketKey, messageId, runtime, error, holder, at]) => {
    const busy: Action = {
      type: 'send/failed',
      ticketKey,
      messageId,
      runtime,
      error: { ...error, kind: 'busy' } as SendError,
      at,
    };
    const undo: Action[] = [
      { type: 'send/cancelled', ticketKey, messageId, by: holder, at },
      { type: 'send/interrupted', ticketKey, messageId, runtime, holder, at },
      { type: 'pickup/failed', ticketKey, stage: 'ready', error, at },
    ];
    return fc.constantFrom(...undo).map((next) => [busy, next]);
  });

const actionsArb: fc.Arbitrary<Action[]> = fc
  .array(
    fc.oneof(
      { arbitrary: actionArb.map((a) => [a]), weight: 12 },
      { arbitrary: adoptedThenArb, weight: 1 },
    ),
    { maxLength: 50, size: 'max' },
  )
  .map((chunks) => chunks.flat());

const ALL_REFS = HOSTS.flatMap((host) => IDS.map((id) => ({ host, id })));

/** Some of the keys exist at the start, in random states, some bound (never adopted). */
const initialArb: fc.Arbitrary<AppState> = fc
  .tuple(
    fc.subarray([...KEYS]),
    fc.array(fc.record({ state: ticketStateArb, bound: fc.option(refArb, { nil: null }) }), {
      minLength: KEYS.length,
      maxLength: KEYS.length,
    }),
    fc.array(
      fc.option(fc.record({ state: runtimeStateArb, gone: fc.boolean() }), { freq: 4, nil: null }),
      { minLength: ALL_REFS.length, maxLength: ALL_REFS.length },
    ),
  )
  .map(([keys, shapes, runtimes]) => {
    const tickets: Record<string, Ticket> = {};
    keys.forEach((key, i) => {
      const shape = shapes[i];
      if (!shape) return;
      const runtime = shape.bound ? { ...shape.bound, adopted: false } : null;
      tickets[key] = makeTicket({ key, state: shape.state, runtime });
    });
    const entries: Record<string, RuntimeEntry> = {};
    ALL_REFS.forEach((ref, i) => {
      const shape = runtimes[i];
      if (shape) entries[`${ref.host}:${ref.id}`] = makeRuntimeEntry({ ...ref, ...shape });
    });
    return { ...emptyState(), tickets, ticketOrder: keys, runtimes: entries };
  });

type Outcome = 'delivered' | 'busy' | 'failed';

function bindingMatches(ticket: Ticket, host: string, id: string): boolean {
  return ticket.runtime?.host === host && ticket.runtime.id === id;
}

/** What a single step must have done, checked against the state before it. */
function checkStep(prev: AppState, action: Action, next: AppState): void {
  switch (action.type) {
    case 'ticket/stateSet': {
      const before = prev.tickets[action.key];
      if (!before || before.state === action.state) {
        expect(next).toBe(prev);
        return;
      }
      const after = next.tickets[action.key];
      expect(after?.state).toBe(action.state);
      expect(after?.runtime).toEqual(action.state === 'todo' ? null : before.runtime);
      return;
    }
    case 'send/queued':
    case 'send/delivered':
    case 'send/failed': {
      const before = prev.tickets[action.ticketKey];
      if (!before) {
        expect(next).toBe(prev);
        return;
      }
      const after = next.tickets[action.ticketKey];
      const message = after?.messages.find((m) => m.id === action.messageId);
      const { host, id, name } = action.runtime;
      if (action.type === 'send/queued') {
        expect(message?.state).toBe('pending');
        expect(after?.state).toBe(before.state);
        expect(after?.runtime).toEqual(before.runtime);
      } else if (action.type === 'send/delivered') {
        expect(message?.state).toBe('delivered');
        expect(after?.state).toBe('in_progress');
        expect(after?.runtime).toEqual({ host, id, name, adopted: false });
        expect(after?.lastError).toBeNull();
      } else if (action.error.kind === 'busy') {
        const queued = action.heldBy != null && action.heldBy !== action.ticketKey;
        expect(message?.state).toBe('pending');
        expect(after?.state).toBe('in_progress');
        expect(after?.runtime).toEqual(queued ? null : { host, id, name, adopted: true });
        expect(after?.lastError).toBeNull();
        expect(next.notifications.at(-1)?.level).toBe('warning');
      } else {
        // Unknown only when the text may have been typed: a broken connection, or a timeout
        // after the body went out.
        const unknown =
          action.error.kind === 'post_send' ||
          (action.error.kind === 'timeout' && action.error.bodySent);
        expect(message).toMatchObject({
          state: unknown ? 'unknown' : 'failed',
          error: action.error.kind,
        });
        expect(after?.state).toBe(before.state === 'done' ? 'done' : 'todo');
        expect(after?.lastError).toMatchObject({ kind: action.error.kind, at: action.at });
        expect(next.notifications.at(-1)?.level).toBe('error');
        const entry = next.runtimes[`${host}:${id}`];
        if (action.error.kind === 'not_found' && entry) expect(entry.gone).toBe(true);
      }
      return;
    }
    case 'runtime/stateChanged': {
      const entry = prev.runtimes[`${action.host}:${action.id}`];
      if (!entry) {
        expect(next).toBe(prev);
        return;
      }
      expect(next.runtimes[`${action.host}:${action.id}`]?.state).toBe(action.state);
      for (const [key, before] of Object.entries(prev.tickets)) {
        const after = next.tickets[key];
        if (!bindingMatches(before, action.host, action.id)) {
          expect(after).toBe(before);
        } else {
          // The rule itself is table-tested (ticket-follow.test.ts); here: it is what applies.
          expect(after?.state).toBe(ticketStateGiven(before.state, action.state));
        }
      }
      return;
    }
    case 'runtimes/synced': {
      const listed = new Map(action.runtimes.map((r) => [r.id, r] as [string, HostedRuntime]));
      for (const [ref, before] of Object.entries(prev.runtimes)) {
        if (before.host !== action.host) expect(next.runtimes[ref]).toBe(before);
        else if (!listed.has(before.id)) expect(next.runtimes[ref]?.gone).toBe(true);
      }
      for (const r of action.runtimes) {
        expect(next.runtimes[`${action.host}:${r.id}`]).toMatchObject({
          state: r.state,
          gone: false,
        });
      }
      for (const [key, before] of Object.entries(prev.tickets)) {
        const after = next.tickets[key];
        if (before.runtime?.host !== action.host) {
          expect(after).toBe(before);
          continue;
        }
        const runtime = listed.get(before.runtime.id);
        expect(after?.state).toBe(ticketStateGiven(before.state, runtime?.state ?? 'gone'));
      }
      return;
    }
    case 'notification/seen': {
      const found = prev.notifications.find((n) => n.id === action.id);
      if (!found || found.seen) {
        expect(next).toBe(prev);
        return;
      }
      expect(next.notifications.map((n) => n.seen)).toEqual(
        prev.notifications.map((n) => n.seen || n.id === action.id),
      );
      return;
    }
    case 'notifications/allSeen':
      expect(next.notifications.every((n) => n.seen)).toBe(true);
      expect(next.notifications).toHaveLength(prev.notifications.length);
      return;
    case 'ticket/upserted':
      expect(next.tickets[action.ticket.key]).toEqual(action.ticket);
      if (!(action.ticket.key in prev.tickets)) {
        expect(next.ticketOrder).toEqual([action.ticket.key, ...prev.ticketOrder]);
      }
      return;
    case 'tickets/loaded':
      return;
    case 'pickup/claimed':
    case 'pickup/runtimeStarted':
    case 'send/retrying':
    case 'claim/released': {
      const before = prev.tickets[action.ticketKey];
      if (!before) {
        expect(next).toBe(prev);
        return;
      }
      // A timeline entry, and for a released claim a warning: nothing else.
      const after = next.tickets[action.ticketKey];
      expect(after).toEqual({
        ...before,
        events: [...before.events, after?.events.at(-1)],
        updatedAt: action.at,
      });
      const warned = action.type === 'claim/released';
      expect(next.notifications).toHaveLength(prev.notifications.length + (warned ? 1 : 0));
      if (warned) expect(next.notifications.at(-1)?.level).toBe('warning');
      return;
    }
    case 'pickup/failed':
    case 'send/interrupted': {
      const before = prev.tickets[action.ticketKey];
      if (!before) {
        expect(next).toBe(prev);
        return;
      }
      const after = next.tickets[action.ticketKey];
      expect(after?.state).toBe(before.state === 'done' ? 'done' : 'todo');
      expect(after?.runtime).toBeNull();
      const kind = action.type === 'pickup/failed' ? action.error.kind : 'interrupted';
      expect(after?.lastError).toMatchObject({ kind, at: action.at });
      expect(next.notifications.at(-1)?.level).toBe('error');
      if (action.type === 'send/interrupted') {
        expect(after?.messages.find((m) => m.id === action.messageId)).toMatchObject({
          state: 'unknown',
          error: 'interrupted',
        });
      }
      return;
    }
    case 'runtime/movedOn': {
      const before = prev.tickets[action.ticketKey];
      const bound = before?.runtime;
      const same = bound && bound.host === action.runtime.host && bound.id === action.runtime.id;
      if (!before || !same || action.to === action.ticketKey) {
        expect(next).toBe(prev);
        return;
      }
      expect(next.tickets[action.ticketKey]).toMatchObject({ runtime: null, state: before.state });
      return;
    }
    case 'send/cancelled': {
      const before = prev.tickets[action.ticketKey];
      const waiting = before?.messages.find((m) => m.id === action.messageId);
      if (!before || waiting?.state !== 'pending') {
        expect(next).toBe(prev);
        return;
      }
      const after = next.tickets[action.ticketKey];
      expect(after?.messages.find((m) => m.id === action.messageId)).toMatchObject({
        state: 'failed',
        error: 'cancelled',
      });
      // A ticket queued behind another's (in progress, unbound) waits on it as an adopted one.
      const queued =
        before.runtime === null &&
        (before.state === 'in_progress' || before.state === 'needs_input');
      if (before.runtime?.adopted || queued) {
        expect(after?.runtime).toBeNull();
        expect(after?.state).toBe(before.state === 'done' ? 'done' : 'todo');
      } else {
        expect(after?.runtime).toEqual(before.runtime);
        expect(after?.state).toBe(before.state);
      }
      return;
    }
  }
}

type Scenario =
  | 'adopted'
  | 'unbound'
  | 'gone'
  | 'asked'
  | 'resumed'
  | 'driftKept'
  | 'cancelUnbound'
  | 'interruptUnbound'
  | 'pickupFailUnbound';

/** Which interesting transitions a step exercised, so the generators can be shown to reach them. */
function scenarios(prev: AppState, action: Action, next: AppState): Scenario[] {
  const found: Scenario[] = [];
  for (const [key, before] of Object.entries(prev.tickets)) {
    const after = next.tickets[key];
    if (after?.runtime?.adopted && !before.runtime?.adopted) found.push('adopted');
    if (before.runtime && !after?.runtime && action.type === 'send/failed') found.push('unbound');
    if (before.runtime?.adopted && !after?.runtime) {
      if (action.type === 'send/cancelled') found.push('cancelUnbound');
      if (action.type === 'send/interrupted') found.push('interruptUnbound');
      if (action.type === 'pickup/failed') found.push('pickupFailUnbound');
    }
    const followed = action.type === 'runtime/stateChanged' || action.type === 'runtimes/synced';
    if (followed && before.state === 'in_progress' && after?.state === 'needs_input') {
      found.push('asked');
    }
    if (followed && before.state === 'needs_input' && after?.state === 'in_progress') {
      found.push('resumed');
    }
    if (
      action.type === 'runtimes/synced' &&
      before.state === 'todo' &&
      before.runtime?.host === action.host &&
      action.runtimes.some((r) => r.id === before.runtime?.id)
    ) {
      found.push('driftKept');
    }
  }
  for (const [ref, entry] of Object.entries(next.runtimes)) {
    if (action.type === 'send/failed' && entry.gone && prev.runtimes[ref]?.gone === false) {
      found.push('gone');
    }
  }
  return found;
}

describe('reducer properties', () => {
  it('holds the adoption, binding, purity and no-drift invariants over random action sequences', () => {
    const reached = new Map<Scenario, number>();
    fc.assert(
      fc.property(initialArb, actionsArb, (initial, actions) => {
        let state = deepFreeze(initial);
        /** The latest send outcome dispatched per ticket key. */
        const latest = new Map<string, Outcome>();
        /** Tickets whose latest outcome was a non-busy failure: they must stay unbound. */
        const mustBeUnbound = new Set<string>();

        for (const action of actions) {
          deepFreeze(action);
          const snapshot = structuredClone(state);
          let next: AppState = state;
          // 3. never throws (a write to the frozen input would throw) and never mutates.
          expect(() => {
            next = reducer(state, action);
          }).not.toThrow();
          expect(state).toEqual(snapshot);

          if (action.type === 'send/delivered') {
            latest.set(action.ticketKey, 'delivered');
            mustBeUnbound.delete(action.ticketKey);
          } else if (action.type === 'send/failed') {
            const busy = action.error.kind === 'busy';
            latest.set(action.ticketKey, busy ? 'busy' : 'failed');
            if (busy) mustBeUnbound.delete(action.ticketKey);
            else mustBeUnbound.add(action.ticketKey);
          } else if (
            (action.type === 'send/interrupted' || action.type === 'pickup/failed') &&
            action.ticketKey in state.tickets
          ) {
            // A pickup that ended without a delivery is a non-busy failure too (even a busy
            // error at the create stage: only a send's busy answer adopts).
            latest.set(action.ticketKey, 'failed');
            mustBeUnbound.add(action.ticketKey);
          }

          for (const [key, ticket] of Object.entries(next.tickets)) {
            // 1. adopted only when the latest send outcome for the ticket was a busy answer.
            if (ticket.runtime?.adopted) expect(latest.get(key)).toBe('busy');
            // 2. a non-busy failure leaves the ticket unbound until a delivery or a busy answer.
            if (mustBeUnbound.has(key)) expect(ticket.runtime).toBeNull();
          }

          // 4. a runtime never moves a ticket out of the operator's states.
          if (action.type === 'runtimes/synced' || action.type === 'runtime/stateChanged') {
            for (const [key, before] of Object.entries(state.tickets)) {
              if (before.state === 'todo' || before.state === 'review' || before.state === 'done') {
                expect(next.tickets[key]?.state).toBe(before.state);
              }
            }
          }

          checkStep(state, action, next);
          for (const s of scenarios(state, action, next)) reached.set(s, (reached.get(s) ?? 0) + 1);
          state = deepFreeze(next);
        }
      }),
      { numRuns: 300 },
    );
    // The invariants above are only worth something if the sequences reach these transitions.
    const all: Scenario[] = ['adopted', 'unbound', 'gone', 'asked', 'resumed', 'driftKept'];
    all.push('cancelUnbound', 'interruptUnbound', 'pickupFailUnbound');
    for (const s of all) {
      expect(reached.get(s) ?? 0, s).toBeGreaterThan(0);
    }
  });
});
