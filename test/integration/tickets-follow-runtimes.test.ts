import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { TicketRepository } from '../../src/adapters/db/ticket-repository.js';
import type { Runtime, RuntimeFeed, RuntimeListener } from '../../src/domain/index.js';
import { syncRuntimes, withStoredTickets } from '../../src/services/runtime-sync.js';
import { createAppStore, stateWithTickets } from '../../src/store/index.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';

/**
 * Tickets follow their runtimes in the database too: what one control room saw is what
 * `tickets list` in another process reads (two connections on one real SQLite file).
 */

const temp = tempDirsPerTest();
const T0 = '2026-12-07T20:00:00Z';
const AT = '2026-12-07T20:05:00Z';

/** The runtime events, as the local monitor or a host's poll would deliver them. */
class ManualFeed implements RuntimeFeed {
  listener: RuntimeListener | null = null;
  constructor(readonly host = 'local') {}
  start(listener: RuntimeListener) {
    this.listener = listener;
  }
  stop() {}
}

const runtime = (id: string, state: Runtime['state']): Runtime => ({
  id,
  name: `agent-${id}`,
  profile: 'sim',
  cwd: '/w',
  state,
  ticket: null,
  createdAt: T0,
  lastActivityAt: T0,
  command: 'sim',
});

function openTwice() {
  const file = path.join(temp.make(), 'control-room.db');
  const mine = new TicketRepository(temp.closeLater(openDatabase(file)), file, 'CR');
  const other = new TicketRepository(temp.closeLater(openDatabase(file)), file, 'CR');
  return { mine, other };
}

function boundTicket(repo: TicketRepository, id: string, state: 'in_progress' | 'needs_input') {
  const added = repo.add({ title: `work on ${id}` }, T0);
  const bound = {
    ...added,
    state,
    runtime: { host: 'local', id, name: `agent-${id}`, adopted: false },
  };
  repo.save(bound, []);
  return added.key;
}

describe('tickets follow their runtimes in the database', () => {
  it('an agent that asks, then is answered: the stored ticket goes needs input and back', () => {
    const { mine, other } = openTwice();
    const key = boundTicket(mine, 'rt_1', 'in_progress');
    const feed = new ManualFeed();
    const store = createAppStore(stateWithTickets(mine.list()));
    syncRuntimes(
      withStoredTickets(feed, mine, () => AT),
      store.getState().dispatch,
      () => AT,
    );

    feed.listener?.runtimes([runtime('rt_1', 'busy')]);
    expect(other.get(key)?.state).toBe('in_progress');
    feed.listener?.stateChanged('rt_1', 'needs_input');
    expect(other.get(key)?.state).toBe('needs_input');
    expect(other.get(key)?.events.at(-1)).toMatchObject({ type: 'needs_input', at: AT });
    expect(store.getState().tickets[key]?.state).toBe('needs_input');

    // Answered: the agent goes straight back to idle (no busy in between).
    feed.listener?.stateChanged('rt_1', 'idle');
    feed.listener?.runtimes([runtime('rt_1', 'idle')]);
    expect(other.get(key)?.state).toBe('in_progress');
    expect(store.getState().tickets[key]?.state).toBe('in_progress');
    // Moved once, though both the change and the list said so.
    expect(other.get(key)?.events.filter((e) => e.type === 'resumed')).toHaveLength(1);
  });

  it('a first list (a start, a reconnect) reconciles every bound ticket, whatever was missed', () => {
    const { mine, other } = openTwice();
    const asking = boundTicket(mine, 'rt_1', 'in_progress');
    const answered = boundTicket(mine, 'rt_2', 'needs_input');
    const ended = boundTicket(mine, 'rt_3', 'needs_input');
    const working = boundTicket(mine, 'rt_4', 'in_progress');
    const elsewhere = boundTicket(other, 'rt_5', 'needs_input');
    const feed = new ManualFeed();
    withStoredTickets(feed, mine, () => AT).start({ runtimes: () => {}, stateChanged: () => {} });

    feed.listener?.runtimes([runtime('rt_1', 'needs_input'), runtime('rt_2', 'idle')]);
    expect(other.get(asking)?.state).toBe('needs_input');
    expect(other.get(answered)?.state).toBe('in_progress');
    // A runtime gone moves nothing (its page says so): neither a question nor work in progress.
    expect(other.get(ended)?.state).toBe('needs_input');
    expect(other.get(working)?.state).toBe('in_progress');
    expect(other.get(elsewhere)?.state).toBe('needs_input');

    // Another host's list touches no local ticket.
    const remote = new ManualFeed('buildbox');
    withStoredTickets(remote, mine, () => AT).start({ runtimes: () => {}, stateChanged: () => {} });
    const before = other.list();
    remote.listener?.runtimes([]);
    expect(other.list()).toEqual(before);
  });

  it('never moves todo, review or done tickets, bound or not', () => {
    const { mine, other } = openTwice();
    const keys = (['todo', 'review', 'done'] as const).map((state) => {
      const added = mine.add({ title: state }, T0);
      mine.save(
        { ...added, state, runtime: { host: 'local', id: 'rt_1', name: 'a', adopted: false } },
        [],
      );
      return added.key;
    });
    const feed = new ManualFeed();
    withStoredTickets(feed, mine, () => AT).start({ runtimes: () => {}, stateChanged: () => {} });
    feed.listener?.runtimes([runtime('rt_1', 'needs_input')]);
    feed.listener?.stateChanged('rt_1', 'needs_input');
    expect(keys.map((key) => other.get(key)?.state)).toEqual(['todo', 'review', 'done']);
  });
});
