import { describe, expect, it } from 'vitest';
import type { SendReceipt } from '../../src/domain/index.js';
import { deliverOpen } from '../../src/services/dispatch/delivery.js';
import type { PickupTarget } from '../../src/services/dispatch/target.js';
import { dispatchHarness, T0, TARGET } from './helpers/dispatch-harness.js';
import { Deferred, driversOf, failure, refusal, runtimeOf, until } from './helpers/fake-driver.js';

const { connect, dispatcherOn, setup, ticket } = dispatchHarness();

describe('the outbox: deliverOpen and cancel', () => {
  /** Tickets adopted by busy runtimes rt_1.. (one each): their messages wait in the outbox. */
  async function adopted(n = 1) {
    const { store, keys, driver } = setup(n);
    driver.runtimes = keys.map((_k, i) => runtimeOf(`rt_${i + 1}`, { state: 'busy' }));
    const a = dispatcherOn(store, driver);
    for (const [i, key] of keys.entries()) {
      driver.answer(failure('busy'));
      const target: PickupTarget = { kind: 'existing', host: 'h1', runtime: `rt_${i + 1}` };
      expect((await a.dispatcher.pickup(key, target)).kind).toBe('adopted');
    }
    expect(store.outbox.open()).toHaveLength(n);
    return { store, keys, key: keys[0] as string, driver, a };
  }

  it('delivers a waiting message only once its runtime lists as idle, with the same key', async () => {
    const { store, key, driver, a } = await adopted();
    const drivers = driversOf(driver);
    for (const state of ['busy', 'needs_input', 'starting'] as const) {
      driver.setState('rt_1', state);
      expect(await deliverOpen(a.dispatcher, store.outbox, drivers)).toEqual([]);
    }
    expect(driver.sends).toHaveLength(1);
    driver.setState('rt_1', 'idle');
    const reports = await deliverOpen(a.dispatcher, store.outbox, drivers);
    expect(reports.map((r) => r.outcome.kind)).toEqual(['delivered']);
    expect(driver.sends).toHaveLength(2);
    expect(driver.sends[1]?.options.idempotencyKey).toBe(driver.sends[0]?.options.idempotencyKey);
    expect(store.outbox.list()[0]).toMatchObject({ state: 'delivered', sendingBy: null });
    expect(ticket(store, key)).toMatchObject({ state: 'in_progress', runtime: { adopted: false } });
    expect(await deliverOpen(a.dispatcher, store.outbox, drivers)).toEqual([]);
  });

  it('keeps a waiting message waiting while its idle runtime has text left in its input line', async () => {
    const { store, driver, a } = await adopted();
    const drivers = driversOf(driver);
    driver.runtimes = [runtimeOf('rt_1', { state: 'idle', input: 'text' })];
    const reasons: string[] = [];
    const wait = (w: { reason: { kind: string } }) => reasons.push(w.reason.kind);
    expect(await deliverOpen(a.dispatcher, store.outbox, drivers, undefined, wait)).toEqual([]);
    expect(reasons).toEqual(['input']);
    expect(driver.sends).toHaveLength(1);
    expect(store.outbox.open()).toHaveLength(1);
    // Submitted or cleared: the message goes.
    driver.runtimes = [runtimeOf('rt_1', { state: 'idle', input: 'empty' })];
    const reports = await deliverOpen(a.dispatcher, store.outbox, drivers);
    expect(reports.map((r) => r.outcome.kind)).toEqual(['delivered']);
  });

  it('two dispatchers on one database delivering at once send each message exactly once', async () => {
    const { store, keys, driver } = await adopted(5);
    for (const r of driver.runtimes) driver.setState(r.id, 'idle');
    const leases = { won: 0, lost: 0 };
    /** A dispatcher on a connection of its own, counting the leases deliverOpen tries. */
    const pass = () => {
      const store2 = connect(store.file);
      const outbox = Object.create(store2.outbox) as typeof store2.outbox;
      outbox.lease = (id, processId) => {
        const won = store2.outbox.lease(id, processId);
        leases[won ? 'won' : 'lost'] += 1;
        return won;
      };
      return deliverOpen(dispatcherOn(store2, driver).dispatcher, outbox, driversOf(driver));
    };
    const reports = await Promise.all([pass(), pass()]);
    // Both passes read the open messages before either leased one: the race did happen.
    expect(leases.won).toBe(5);
    expect(leases.lost).toBeGreaterThan(0);
    expect(reports.flat().map((r) => r.outcome.kind)).toEqual(Array(5).fill('delivered'));
    const redelivered = driver.sends.slice(keys.length).map((s) => s.options.ticket);
    expect(redelivered.sort()).toEqual([...keys].sort());
    expect(store.outbox.list().map((m) => m.state)).toEqual(Array(5).fill('delivered'));
  });

  it('cancel stops a waiting message and returns its adopted ticket to todo', async () => {
    const { store, key, driver, a } = await adopted();
    const id = store.outbox.list()[0]?.id as string;
    const returned = a.dispatcher.cancel(id, 'alice');
    expect(store.outbox.message(id)).toMatchObject({ state: 'failed', error: 'cancelled' });
    for (const t of [returned, ticket(store, key)]) {
      expect(t).toMatchObject({ state: 'todo', runtime: null });
      expect(t.events.at(-1)).toMatchObject({ type: 'send_cancelled' });
    }
    driver.setState('rt_1', 'idle');
    expect(await deliverOpen(a.dispatcher, store.outbox, driversOf(driver))).toEqual([]);
    expect(driver.sends).toHaveLength(1);
  });

  it('cancel refuses a message being sent, a settled one, and an unknown id', async () => {
    const { store, key, driver } = setup();
    const hang = new Deferred<SendReceipt>();
    driver.answer(hang);
    const { dispatcher } = dispatcherOn(store, driver);
    const pickup = dispatcher.pickup(key, TARGET);
    await until(() => driver.sends.length === 1, 'the send');
    const id = store.outbox.list()[0]?.id as string;
    const cancel = async () => dispatcher.cancel(id, 'alice');
    expect((await refusal(cancel())).message).toContain('being sent right now');
    hang.resolve({ messageId: 'x', deliveredAt: T0, runtime: runtimeOf('rt_1') });
    await pickup;
    expect((await refusal(cancel())).message).toContain('it is delivered');
    const missing = await refusal((async () => dispatcher.cancel('msg_nope', 'alice'))());
    expect(missing.error.kind).toBe('not_found');
    expect(store.outbox.message(id)?.state).toBe('delivered');
  });

  it.each([
    ['todo', null],
    ['done', null],
    ['in_progress', 'h1:rt_9'],
  ] as const)(
    'a waiting message whose ticket is now %s is cancelled, not delivered late',
    async (state, boundTo) => {
      const { store, key, driver, a } = await adopted();
      // Moved by hand: to todo or done, or bound to another runtime.
      const moved = ticket(store, key);
      const runtime = boundTo ? { host: 'h1', id: 'rt_9', name: null, adopted: false } : null;
      store.tickets.save({ ...moved, state, runtime }, []);
      driver.setState('rt_1', 'idle');
      expect(await deliverOpen(a.dispatcher, store.outbox, driversOf(driver))).toEqual([]);
      expect(driver.sends).toHaveLength(1);
      expect(store.outbox.list()[0]).toMatchObject({ state: 'failed', error: 'cancelled' });
      const after = ticket(store, key);
      expect(after.state).toBe(state);
      expect(after.events.at(-1)?.text).toContain(`${key} is ${state} now`);
    },
  );

  it('resend sends an unknown message again with its first key, and refuses a settled one', async () => {
    const { store, key, driver } = setup();
    driver.answer(failure('post_send'), failure('post_send'));
    const { dispatcher } = dispatcherOn(store, driver, { attempts: 2 });
    const first = await dispatcher.pickup(key, TARGET);
    expect(first).toMatchObject({ kind: 'failed', error: { kind: 'post_send' } });
    const id = store.outbox.list()[0]?.id as string;
    expect(store.outbox.message(id)?.state).toBe('unknown');
    const again = await dispatcher.resend(id);
    expect(again.kind).toBe('delivered');
    const keys = new Set(driver.sends.map((s) => s.options.idempotencyKey));
    expect(driver.sends).toHaveLength(3);
    expect(keys.size).toBe(1);
    expect(store.outbox.list()).toHaveLength(1);
    expect(store.outbox.message(id)).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(ticket(store, key)).toMatchObject({ state: 'in_progress', lastError: null });
    expect((await refusal(dispatcher.resend(id))).message).toContain('is delivered');
  });
});
