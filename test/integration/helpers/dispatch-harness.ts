import path from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase } from '../../../src/adapters/db/database.js';
import { OutboxRepository } from '../../../src/adapters/db/outbox-repository.js';
import { ProcessRegistry } from '../../../src/adapters/db/process-registry.js';
import { TicketRepository } from '../../../src/adapters/db/ticket-repository.js';
import type { Ticket } from '../../../src/domain/index.js';
import { Dispatcher } from '../../../src/services/dispatch/dispatcher.js';
import type { PickupTarget } from '../../../src/services/dispatch/target.js';
import type { Action } from '../../../src/store/actions.js';
import { driversOf, FakeDriver } from './fake-driver.js';
import { tempDirsPerTest } from './temp-dir.js';

/**
 * Dispatchers over a real SQLite file in a temporary folder, with a fake driver: for the
 * dispatcher's logic, one connection (one "process") per `connect`.
 */

export const T0 = '2026-11-25T06:00:00Z';
export const TARGET: PickupTarget = { kind: 'existing', host: 'h1', runtime: 'rt_1' };
/** A pid no process has: above Linux's largest pid_max. */
export const DEAD_PID = 4_194_304 + 4242;
export const DELIVERED_EVENTS = ['created', 'claimed', 'send_queued', 'send_delivered'];

export const count = (t: Ticket, type: string) => t.events.filter((e) => e.type === type).length;

export interface DispatcherOptions {
  attempts?: number;
  pidAlive?: (pid: number) => boolean;
  processes?: ProcessRegistry;
}

/** Call once per test file, at the top: it registers the cleanup hooks. */
export function dispatchHarness() {
  const temp = tempDirsPerTest();
  const dispatchers: Dispatcher[] = [];
  // Registered after tempDirsPerTest's hook, so it runs first: dispatchers stop before the close.
  afterEach(() => {
    for (const d of dispatchers.splice(0)) d.stop();
  });

  /** One connection to the database file, with its repositories. */
  function connect(file: string) {
    const db = temp.closeLater(openDatabase(file));
    const tickets = new TicketRepository(db, file, 'T');
    return { file, db, tickets, outbox: new OutboxRepository(db, file, tickets) };
  }
  type Store = ReturnType<typeof connect>;

  function dispatcherOn(store: Store, driver: FakeDriver, options: DispatcherOptions = {}) {
    const actions: Action[] = [];
    const processes =
      options.processes ??
      new ProcessRegistry(store.db, store.file, {
        ...(options.pidAlive ? { pidAlive: options.pidAlive } : {}),
      });
    const dispatcher = new Dispatcher({
      outbox: store.outbox,
      processes,
      drivers: driversOf(driver),
      role: 'test',
      attempts: options.attempts ?? 3,
      baseDelayMs: 1,
      sendTimeoutMs: 5_000,
      readyTimeoutMs: 5_000,
      onAction: (action) => actions.push(action),
    });
    dispatchers.push(dispatcher);
    return { dispatcher, actions, processes };
  }

  function setup(tickets = 1) {
    const store = connect(path.join(temp.make(), 'control-room.db'));
    const keys: string[] = [];
    for (let i = 0; i < tickets; i++) {
      keys.push(store.tickets.add({ title: `ticket ${i}`, body: 'the body' }, T0).key);
    }
    return { store, keys, key: keys[0] as string, driver: new FakeDriver('h1') };
  }

  function ticket(store: Store, key: string): Ticket {
    const found = store.tickets.get(key);
    if (!found) throw new Error(`no ticket ${key}`);
    return found;
  }

  return { temp, connect, dispatcherOn, setup, ticket };
}
