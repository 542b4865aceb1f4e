import { describe, expect, it } from 'vitest';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import { builtInProfiles } from '../../src/domain/index.js';
import { createLocalHostDriver } from '../../src/host/live-list-driver.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

const server = privateTmuxPerTest();

describe('the live-list driver host serve uses', () => {
  it('answers lists from the monitor, and a list right after create or close holds the change', async () => {
    await server.tmux('new-session', '-d', '-s', 'existing');
    const tmux = new TmuxClient({ socketName: server.name() });
    const watcher = new TmuxWatcher(tmux);
    watcher.start();
    const driver = createLocalHostDriver({ tmux, watcher, profiles: builtInProfiles(process.env) });
    try {
      await driver.ready();
      // Answered from the feed; after create and close it is refreshed before answering.
      const names = async () => (await driver.list()).map((r) => r.name).sort();
      expect(await names()).toEqual(['existing']);
      const created = await driver.create({ profile: 'shell', name: 'made', cwd: '/tmp' });
      expect(await names()).toEqual(['existing', 'made']);
      await driver.close(created.id);
      expect(await names()).toEqual(['existing']);
      // A session made behind its back arrives through tmux's notifications.
      await server.tmux('new-session', '-d', '-s', 'behind');
      await eventually(names, (n) => n.join() === 'behind,existing', 'the outside session');
    } finally {
      driver.stop();
      watcher.stop();
    }
  });
});
