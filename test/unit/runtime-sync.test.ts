import { describe, expect, it } from 'vitest';
import type { Runtime, RuntimeFeed, RuntimeListener } from '../../src/domain/index.js';
import { syncRuntimes } from '../../src/services/runtime-sync.js';
import { createAppStore, stateWithTickets } from '../../src/store/index.js';
import { makeTicket } from './helpers/tickets.js';

/** A feed the test drives by hand (the real one is tested against tmux). */
class ManualFeed implements RuntimeFeed {
  readonly host = 'local';
  listener: RuntimeListener | null = null;
  stopped = false;
  start(listener: RuntimeListener) {
    this.listener = listener;
  }
  stop() {
    this.stopped = true;
  }
}

const runtime = (state: Runtime['state']): Runtime => ({
  id: 'rt_1_abc',
  name: 'cr-ops-1',
  profile: 'codex',
  cwd: '/w',
  state,
  ticket: 'OPS-1',
  createdAt: '2026-11-25T06:00:00Z',
  lastActivityAt: '2026-11-25T06:00:00Z',
  command: 'codex',
});

describe('syncRuntimes', () => {
  it('puts the feed into the store, and bound tickets follow the runtime as documented', () => {
    const ticket = makeTicket({
      key: 'OPS-1',
      state: 'in_progress',
      runtime: { host: 'local', id: 'rt_1_abc', name: 'cr-ops-1', adopted: false },
    });
    const store = createAppStore(stateWithTickets([ticket]));
    const feed = new ManualFeed();
    const stop = syncRuntimes(feed, store.getState().dispatch, () => '2026-11-25T07:00:00Z');

    feed.listener?.runtimes([runtime('busy')]);
    expect(store.getState().runtimes['local:rt_1_abc']).toMatchObject({
      host: 'local',
      state: 'busy',
      gone: false,
    });

    feed.listener?.stateChanged('rt_1_abc', 'needs_input');
    expect(store.getState().tickets['OPS-1']?.state).toBe('needs_input');

    // A list that still has it asking keeps it; one where it no longer asks resumes it.
    feed.listener?.runtimes([runtime('needs_input')]);
    expect(store.getState().tickets['OPS-1']?.state).toBe('needs_input');
    feed.listener?.runtimes([runtime('idle')]);
    expect(store.getState().tickets['OPS-1']?.state).toBe('in_progress');

    feed.listener?.runtimes([]);
    expect(store.getState().runtimes['local:rt_1_abc']?.gone).toBe(true);

    stop();
    expect(feed.stopped).toBe(true);
  });
});
