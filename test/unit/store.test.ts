import { describe, expect, it, vi } from 'vitest';
import { TICKET_STATES, type Ticket } from '../../src/domain/index.js';
import { createAppStore } from '../../src/store/create-store.js';
import { reducer } from '../../src/store/reducer.js';
import {
  selectRuntimeCounts,
  selectRuntimes,
  selectTicket,
  selectTicketCounts,
  selectTickets,
  selectUnseenNotifications,
} from '../../src/store/selectors.js';
import { type AppState, emptyState, stateWithTickets } from '../../src/store/state.js';
import { deepFreeze, makeRuntimeEntry, makeSendError, makeTicket } from './helpers/tickets.js';

const AT = '2026-11-25T07:00:00Z';
const RUNTIME = { host: 'h1', id: 'rt_1', name: 'mc-1' };

function stateOf(tickets: Ticket[], extra: Partial<AppState> = {}): AppState {
  return deepFreeze({ ...stateWithTickets(tickets), ...extra });
}

describe('selectTickets', () => {
  it('follows ticketOrder, skipping keys with no ticket', () => {
    const a = makeTicket({ key: 'A-1' });
    const b = makeTicket({ key: 'B-1' });
    const state = deepFreeze({ ...stateOf([a, b]), ticketOrder: ['B-1', 'GONE-1', 'A-1'] });
    expect(selectTickets(state)).toEqual([b, a]);
  });

  it('puts a newly upserted ticket first and keeps an updated one in place', () => {
    let state = stateOf([makeTicket({ key: 'A-1' }), makeTicket({ key: 'B-1' })]);
    state = reducer(state, { type: 'ticket/upserted', ticket: makeTicket({ key: 'C-1' }) });
    expect(selectTickets(state).map((t) => t.key)).toEqual(['C-1', 'A-1', 'B-1']);
    state = reducer(state, {
      type: 'ticket/upserted',
      ticket: makeTicket({ key: 'B-1', title: 'renamed' }),
    });
    expect(selectTickets(state).map((t) => [t.key, t.title])).toEqual([
      ['C-1', 'SQL injection in login'],
      ['A-1', 'SQL injection in login'],
      ['B-1', 'renamed'],
    ]);
  });

  it('selectTicket finds a ticket by key', () => {
    const a = makeTicket({ key: 'A-1' });
    const state = stateOf([a]);
    expect(selectTicket(state, 'A-1')).toBe(a);
    expect(selectTicket(state, 'Z-1')).toBeUndefined();
  });
});

describe('selectTicketCounts', () => {
  it('counts tickets per state, with zero for empty states', () => {
    const state = stateOf([
      makeTicket({ key: 'A-1', state: 'todo' }),
      makeTicket({ key: 'A-2', state: 'todo' }),
      makeTicket({ key: 'A-3', state: 'needs_input' }),
      makeTicket({ key: 'A-4', state: 'done' }),
    ]);
    expect(selectTicketCounts(state)).toEqual({
      todo: 2,
      in_progress: 0,
      needs_input: 1,
      review: 0,
      done: 1,
    });
  });

  it('has every state at zero for an empty store', () => {
    expect(selectTicketCounts(emptyState())).toEqual(
      Object.fromEntries(TICKET_STATES.map((s) => [s, 0])),
    );
  });

  it('follows a failed send back to todo', () => {
    let state = stateOf([makeTicket({ key: 'A-1', state: 'in_progress', runtime: null })]);
    state = reducer(state, {
      type: 'send/failed',
      ticketKey: 'A-1',
      messageId: 'm1',
      runtime: RUNTIME,
      error: makeSendError('server'),
      at: AT,
    });
    expect(selectTicketCounts(state)).toMatchObject({ todo: 1, in_progress: 0 });
  });
});

describe('selectRuntimes', () => {
  const runtimes = {
    'h1:rt_1': makeRuntimeEntry({ host: 'h1', id: 'rt_1' }),
    'h1:rt_2': makeRuntimeEntry({ host: 'h1', id: 'rt_2', ticket: 'EXT-1' }),
    'h2:rt_1': makeRuntimeEntry({ host: 'h2', id: 'rt_1' }),
  };

  function view(state: AppState, ref: string) {
    return selectRuntimes(state).find((r) => `${r.host}:${r.id}` === ref);
  }

  it('derives adopted from a ticket bound with adopted:true', () => {
    const state = stateOf(
      [
        makeTicket({ key: 'A-1', state: 'in_progress', runtime: { ...RUNTIME, adopted: true } }),
        makeTicket({
          key: 'B-1',
          state: 'in_progress',
          runtime: { host: 'h2', id: 'rt_1', name: null, adopted: false },
        }),
      ],
      { runtimes },
    );
    expect(selectRuntimes(state)).toHaveLength(3);
    expect(view(state, 'h1:rt_1')).toMatchObject({ adopted: true, ticketKey: 'A-1' });
    expect(view(state, 'h2:rt_1')).toMatchObject({ adopted: false, ticketKey: 'B-1' });
    expect(view(state, 'h1:rt_2')).toMatchObject({ adopted: false, ticketKey: 'EXT-1' });
  });

  it('prefers the adopting ticket when several are bound to one runtime', () => {
    const state = stateOf(
      [
        makeTicket({ key: 'A-1', runtime: { ...RUNTIME, adopted: false } }),
        makeTicket({ key: 'B-1', runtime: { ...RUNTIME, adopted: true } }),
        makeTicket({ key: 'C-1', runtime: { ...RUNTIME, adopted: false } }),
      ],
      { runtimes },
    );
    expect(view(state, 'h1:rt_1')).toMatchObject({ adopted: true, ticketKey: 'B-1' });
  });

  it('follows the reducer: busy adopts, delivered and other failures do not', () => {
    let state = stateOf([makeTicket({ key: 'A-1' })], { runtimes });
    expect(view(state, 'h1:rt_1')?.adopted).toBe(false);
    const failed = (kind: 'busy' | 'auth') =>
      ({
        type: 'send/failed',
        ticketKey: 'A-1',
        messageId: 'm1',
        runtime: RUNTIME,
        error: makeSendError(kind),
        at: AT,
      }) as const;
    state = reducer(state, failed('busy'));
    expect(view(state, 'h1:rt_1')).toMatchObject({ adopted: true, ticketKey: 'A-1' });
    state = reducer(state, {
      type: 'send/delivered',
      ticketKey: 'A-1',
      messageId: 'm1',
      runtime: RUNTIME,
      at: AT,
    });
    expect(view(state, 'h1:rt_1')).toMatchObject({ adopted: false, ticketKey: 'A-1' });
    state = reducer(state, failed('busy'));
    state = reducer(state, failed('auth'));
    expect(view(state, 'h1:rt_1')).toMatchObject({ adopted: false, ticketKey: null });
  });

  it('selectRuntimeCounts counts live runtimes per state', () => {
    const state = stateOf([], {
      runtimes: {
        'h1:rt_1': makeRuntimeEntry({ id: 'rt_1', state: 'busy' }),
        'h1:rt_2': makeRuntimeEntry({ id: 'rt_2', state: 'busy' }),
        'h1:rt_3': makeRuntimeEntry({ id: 'rt_3', state: 'idle' }),
        'h1:rt_4': makeRuntimeEntry({ id: 'rt_4', state: 'idle', gone: true }),
      },
    });
    expect(selectRuntimeCounts(state)).toEqual({ busy: 2, idle: 1 });
  });
});

describe('selectUnseenNotifications', () => {
  it('lists the unseen notifications in order, and none after allSeen', () => {
    let state = stateOf([makeTicket({ key: 'A-1' })]);
    for (const kind of ['server', 'busy', 'timeout'] as const) {
      state = reducer(state, {
        type: 'send/failed',
        ticketKey: 'A-1',
        messageId: `m-${kind}`,
        runtime: RUNTIME,
        error: makeSendError(kind),
        at: AT,
      });
    }
    expect(selectUnseenNotifications(state).map((n) => [n.id, n.level])).toEqual([
      ['n1', 'error'],
      ['n2', 'warning'],
      ['n3', 'error'],
    ]);
    state = reducer(state, { type: 'notification/seen', id: 'n2' });
    expect(selectUnseenNotifications(state).map((n) => n.id)).toEqual(['n1', 'n3']);
    state = reducer(state, { type: 'notifications/allSeen' });
    expect(selectUnseenNotifications(state)).toEqual([]);
    expect(state.notifications).toHaveLength(3);
  });
});

describe('createAppStore', () => {
  const initial = () =>
    stateOf([makeTicket({ key: 'A-1', state: 'todo' }), makeTicket({ key: 'B-1' })]);

  it('starts from the given state, or from an empty one', () => {
    const start = initial();
    const store = createAppStore(start);
    expect(store.getState().tickets).toBe(start.tickets);
    expect(store.getState().ticketOrder).toBe(start.ticketOrder);
    const empty = createAppStore().getState();
    expect(empty).toMatchObject(emptyState());
    expect(typeof empty.dispatch).toBe('function');
  });

  it('dispatch folds the action through the reducer and notifies subscribers', () => {
    const store = createAppStore(initial());
    const listener = vi.fn();
    store.subscribe(listener);
    store.getState().dispatch({ type: 'ticket/stateSet', key: 'A-1', state: 'review', at: AT });
    expect(store.getState().tickets['A-1']?.state).toBe('review');
    expect(listener).toHaveBeenCalledTimes(1);
    store.getState().dispatch({
      type: 'send/failed',
      ticketKey: 'B-1',
      messageId: 'm1',
      runtime: RUNTIME,
      error: makeSendError('busy'),
      at: AT,
    });
    expect(store.getState().tickets['B-1']?.runtime).toEqual({ ...RUNTIME, adopted: true });
    expect(selectUnseenNotifications(store.getState())).toHaveLength(1);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(typeof store.getState().dispatch).toBe('function');
  });

  it('does not notify subscribers when an action changes nothing', () => {
    const store = createAppStore(initial());
    const listener = vi.fn();
    store.subscribe(listener);
    const before = store.getState();
    const { dispatch } = before;
    dispatch({ type: 'ticket/stateSet', key: 'A-1', state: 'todo', at: AT });
    dispatch({ type: 'ticket/stateSet', key: 'NOPE-1', state: 'done', at: AT });
    dispatch({
      type: 'send/delivered',
      ticketKey: 'NOPE-1',
      messageId: 'm1',
      runtime: RUNTIME,
      at: AT,
    });
    dispatch({ type: 'notification/seen', id: 'n1' });
    dispatch({ type: 'notifications/allSeen' });
    dispatch({ type: 'runtime/stateChanged', host: 'h1', id: 'rt_9', state: 'busy', at: AT });
    expect(listener).not.toHaveBeenCalled();
    expect(store.getState()).toBe(before);
    // The same listener does hear a real change.
    dispatch({ type: 'ticket/stateSet', key: 'A-1', state: 'done', at: AT });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps two stores independent, even from one initial state', () => {
    const start = initial();
    const one = createAppStore(start);
    const two = createAppStore(start);
    one.getState().dispatch({ type: 'ticket/stateSet', key: 'A-1', state: 'done', at: AT });
    one.getState().dispatch({ type: 'ticket/upserted', ticket: makeTicket({ key: 'C-1' }) });
    expect(one.getState().tickets['A-1']?.state).toBe('done');
    expect(one.getState().ticketOrder).toEqual(['C-1', 'A-1', 'B-1']);
    expect(two.getState().tickets['A-1']?.state).toBe('todo');
    expect(two.getState().ticketOrder).toEqual(['A-1', 'B-1']);
    expect(start.tickets['A-1']?.state).toBe('todo');

    const a = createAppStore();
    const b = createAppStore();
    a.getState().dispatch({ type: 'ticket/upserted', ticket: makeTicket({ key: 'X-1' }) });
    expect(selectTickets(a.getState())).toHaveLength(1);
    expect(selectTickets(b.getState())).toHaveLength(0);
  });
});
