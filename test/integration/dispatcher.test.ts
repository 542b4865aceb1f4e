import { describe, expect, it } from 'vitest';
import { describeProcess, ProcessRegistry } from '../../src/adapters/db/process-registry.js';
import { promptForTicket, SendFailure, type SendReceipt } from '../../src/domain/index.js';
import type { PickupOutcome } from '../../src/services/dispatch/dispatcher.js';
import {
  count,
  DEAD_PID,
  DELIVERED_EVENTS,
  dispatchHarness,
  T0,
  TARGET,
} from './helpers/dispatch-harness.js';
import { Deferred, failure, refusal, runtimeOf, until } from './helpers/fake-driver.js';

const { connect, dispatcherOn, setup, ticket } = dispatchHarness();

describe('Dispatcher.pickup over SQLite', () => {
  it('delivers: one send with the stored key and prompt, the ticket bound, the claim released', async () => {
    const { store, key, driver } = setup();
    const { dispatcher, actions } = dispatcherOn(store, driver);
    const outcome = await dispatcher.pickup(key, TARGET);

    expect(outcome.kind).toBe('delivered');
    const [message, ...more] = store.outbox.list();
    expect(more).toEqual([]);
    expect(message).toMatchObject({ ticketKey: key, runtimeId: 'rt_1', state: 'delivered' });
    expect(message).toMatchObject({ error: null, attempts: 1, sendingBy: null });
    expect(driver.sends).toEqual([
      {
        id: 'rt_1',
        text: promptForTicket(ticket(store, key)),
        options: expect.objectContaining({ idempotencyKey: message?.idempotencyKey, ticket: key }),
      },
    ]);
    const stored = ticket(store, key);
    expect(stored).toMatchObject({ state: 'in_progress', lastError: null });
    expect(stored.runtime).toEqual({ host: 'h1', id: 'rt_1', name: 'mc-rt_1', adopted: false });
    expect(stored.events.map((e) => e.type)).toEqual(DELIVERED_EVENTS);
    expect(actions.map((a) => a.type)).toEqual(['pickup/claimed', 'send/queued', 'send/delivered']);
    expect(store.outbox.claims()).toEqual([]);
  });

  // runtime-api.md's table, with 3 attempts: what a retry can heal is tried three times.
  const ROWS = [
    { error: failure('busy'), sends: 1, message: 'pending' },
    { error: failure('auth'), sends: 1, message: 'failed' },
    { error: failure('server'), sends: 3, message: 'failed' },
    { error: failure('timeout'), sends: 3, message: 'unknown' },
    { error: failure('timeout', false), sends: 3, message: 'failed' },
    { error: failure('post_send'), sends: 3, message: 'unknown' },
    { error: failure('unreachable'), sends: 3, message: 'failed' },
    { error: failure('not_found'), sends: 1, message: 'failed' },
    { error: failure('invalid'), sends: 1, message: 'failed' },
  ];

  it.each(ROWS)(
    '$error.kind ($error.bodySent): $sends send(s), message $message',
    async ({ error, sends, message }) => {
      const { store, key, driver } = setup();
      driver.answer(error, error, error, error);
      const { dispatcher } = dispatcherOn(store, driver);
      const outcome = await dispatcher.pickup(key, TARGET);

      const busy = error.kind === 'busy';
      expect(outcome.kind).toBe(busy ? 'adopted' : 'failed');
      expect(driver.sends).toHaveLength(sends);
      const [stored] = store.outbox.list();
      for (const call of driver.sends) {
        expect(call.options.idempotencyKey).toBe(stored?.idempotencyKey);
      }
      expect(stored).toMatchObject({
        state: message,
        error: busy ? null : error.kind,
        attempts: sends,
        sendingBy: null,
      });
      const t = ticket(store, key);
      expect(count(t, 'send_retrying')).toBe(sends - 1);
      const adoptedBinding = { host: 'h1', id: 'rt_1', name: null, adopted: true };
      expect(t).toMatchObject(
        busy
          ? { state: 'in_progress', runtime: adoptedBinding, lastError: null }
          : { state: 'todo', runtime: null, lastError: { kind: error.kind, host: 'h1' } },
      );
      expect(t.events.at(-1)?.type).toBe(busy ? 'runtime_adopted' : 'send_failed');
      expect(store.outbox.claims()).toEqual([]);
    },
  );

  it('a retry that heals delivers, with the same key on every attempt', async () => {
    const { store, key, driver } = setup();
    driver.answer(failure('server'), failure('post_send'), 'ok');
    const { dispatcher } = dispatcherOn(store, driver);
    expect((await dispatcher.pickup(key, TARGET)).kind).toBe('delivered');
    const keys = new Set(driver.sends.map((s) => s.options.idempotencyKey));
    expect(driver.sends).toHaveLength(3);
    expect([...keys]).toEqual([store.outbox.list()[0]?.idempotencyKey]);
    expect(store.outbox.list()[0]).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(count(ticket(store, key), 'send_retrying')).toBe(2);
  });

  it('refuses a ticket another live process has claimed, naming it', async () => {
    const { store, key, driver } = setup();
    const hang = new Deferred<SendReceipt>();
    driver.answer(hang);
    const a = dispatcherOn(store, driver);
    const b = dispatcherOn(connect(store.file), driver);
    const first = a.dispatcher.pickup(key, TARGET);
    await until(() => driver.sends.length === 1, 'the first send');

    const refused = await refusal(b.dispatcher.pickup(key, TARGET));
    expect(refused.error.kind).toBe('conflict');
    expect(refused.message).toContain(a.dispatcher.holder);
    hang.resolve({ messageId: 'x', deliveredAt: T0, runtime: runtimeOf('rt_1') });
    expect((await first).kind).toBe('delivered');
    expect(driver.sends).toHaveLength(1);
    expect(count(ticket(store, key), 'claimed')).toBe(1);
  });

  it.each(['in_progress', 'needs_input', 'review', 'done'] as const)(
    'refuses a %s ticket, sending nothing and claiming nothing',
    async (state) => {
      const { store, driver } = setup(0);
      const key = store.tickets.add({ title: 'not todo', state }, T0).key;
      const refused = await refusal(dispatcherOn(store, driver).dispatcher.pickup(key, TARGET));
      expect(refused.error.kind).toBe('conflict');
      expect(refused.message).toContain(state);
      expect(driver.sends).toEqual([]);
      expect(store.outbox.claims()).toEqual([]);
      expect(ticket(store, key).events.map((e) => e.type)).toEqual(['created']);
    },
  );

  it('a key given in another case is claimed on the timeline all the same', async () => {
    const { store, key, driver } = setup();
    await dispatcherOn(store, driver).dispatcher.pickup(key.toLowerCase(), TARGET);
    expect(ticket(store, key).events.map((e) => e.type)).toEqual(DELIVERED_EVENTS);
  });
});

describe('recovery of a dead process', () => {
  /** A pickup whose process died mid-send: its claim and its in-flight message are left. */
  async function deadPickup(attempts = 1) {
    const { store, key, driver } = setup();
    const hang = new Deferred<SendReceipt>();
    driver.answer(hang);
    const dead = dispatcherOn(store, driver, { attempts });
    dead.dispatcher.start();
    store.db
      .prepare('UPDATE processes SET pid = ? WHERE id = ?')
      .run(DEAD_PID, dead.dispatcher.processId);
    const record = dead.processes.get(dead.dispatcher.processId);
    if (!record) throw new Error('the process was not registered');
    const pickup = dead.dispatcher.pickup(key, TARGET);
    await until(() => store.outbox.inFlight().length === 1, 'the send in flight');
    expect(store.outbox.claims()).toHaveLength(1);
    const pidAlive = (pid: number) => pid !== DEAD_PID;
    return { store, key, driver, hang, pickup, holder: describeProcess(record), pidAlive };
  }

  it('the next start makes the send unknown and releases the claim, recorded once by two', async () => {
    const { store, key, driver, hang, pickup, holder, pidAlive } = await deadPickup();
    // c read the rows at the same moment as b, and acts on them after b has recovered.
    const seen = connect(store.file);
    const [claims, inFlight] = [seen.outbox.claims(), seen.outbox.inFlight()];
    const stale = Object.assign(Object.create(seen.outbox), {
      claims: () => claims,
      inFlight: () => inFlight,
    }) as typeof seen.outbox;
    const b = dispatcherOn(connect(store.file), driver, { pidAlive });
    const c = dispatcherOn({ ...seen, outbox: stale }, driver, { pidAlive });
    b.dispatcher.start();
    c.dispatcher.start();
    expect(c.dispatcher.recover()).toBe(0);

    expect(b.actions.map((a) => a.type)).toEqual(['send/interrupted', 'claim/released']);
    expect(c.actions).toEqual([]);
    expect(store.outbox.list()[0]).toMatchObject({
      state: 'unknown',
      error: 'interrupted',
      sendingBy: null,
    });
    const t = ticket(store, key);
    expect(t).toMatchObject({ state: 'todo', runtime: null, lastError: { kind: 'interrupted' } });
    expect(t.lastError?.message).toContain(holder);
    expect([count(t, 'send_interrupted'), count(t, 'claim_released')]).toEqual([1, 1]);
    expect(store.outbox.claims()).toEqual([]);
    expect(b.processes.all().map((p) => p.pid)).not.toContain(DEAD_PID);

    // The ticket can be picked up anew; the dead send's late failure changes nothing.
    expect((await b.dispatcher.pickup(key, TARGET)).kind).toBe('delivered');
    hang.reject(new SendFailure(failure('post_send')));
    await pickup;
    const after = ticket(store, key);
    expect(after).toMatchObject({ state: 'in_progress', runtime: { id: 'rt_1', adopted: false } });
    expect(count(after, 'send_failed')).toBe(0);
    // Sorted: created_at is to the second, so two messages of one second list in id order.
    const states = store.outbox.list().map((m) => m.state);
    expect(states.sort()).toEqual(['delivered', 'unknown']);
    expect(driver.sends).toHaveLength(2);
  });

  it('a process that registers and claims while another recovers keeps its claim', async () => {
    const { store, key, driver } = setup();
    const hang = new Deferred<SendReceipt>();
    driver.answer(hang);
    const a = dispatcherOn(connect(store.file), driver);
    let first: Promise<PickupOutcome> | undefined;
    // b reads the process list; a starts and claims (two transactions of its own); b reads claims.
    let between: (() => void) | undefined = () => {
      first = a.dispatcher.pickup(key, TARGET);
    };
    const seen = connect(store.file);
    const registry = new ProcessRegistry(seen.db, seen.file);
    const processes = Object.assign(Object.create(registry), {
      all: () => {
        const list = registry.all();
        const run = between;
        between = undefined;
        run?.();
        return list;
      },
    }) as ProcessRegistry;
    const b = dispatcherOn(seen, driver, { processes });
    b.dispatcher.start();

    expect(b.actions).toEqual([]);
    expect(store.outbox.claims().map((c) => c.processId)).toEqual([a.dispatcher.processId]);
    await until(() => driver.sends.length === 1, 'the send of a');
    expect((await refusal(b.dispatcher.pickup(key, TARGET))).error.kind).toBe('conflict');
    hang.resolve({ messageId: 'x', deliveredAt: T0, runtime: runtimeOf('rt_1') });
    expect((await first)?.kind).toBe('delivered');
    expect(driver.sends).toHaveLength(1);
  });

  // A process taken for dead (stopped by Ctrl-Z past the stale heartbeat, or on another machine)
  // that resumes: its pickup goes on.
  it.each([
    { attempts: 1, late: 'a delivery' },
    { attempts: 3, late: 'a retryable failure' },
  ])(
    'one that comes back with $late neither resends nor overwrites what recovery settled',
    async ({ attempts }) => {
      const { store, key, driver, hang, pickup, pidAlive } = await deadPickup(attempts);
      dispatcherOn(connect(store.file), driver, { pidAlive }).dispatcher.start();
      if (attempts === 1)
        hang.resolve({ messageId: 'late', deliveredAt: T0, runtime: runtimeOf('rt_1') });
      else hang.reject(new SendFailure(failure('post_send')));
      await pickup;
      expect(driver.sends).toHaveLength(1);
      expect(store.outbox.list()[0]).toMatchObject({ state: 'unknown', error: 'interrupted' });
      expect(ticket(store, key)).toMatchObject({ state: 'todo', runtime: null });
    },
  );
});
