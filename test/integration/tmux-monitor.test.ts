import { describe, expect, it } from 'vitest';
import { LocalMonitor } from '../../src/adapters/tmux/local-monitor.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import { builtInProfiles, type Runtime } from '../../src/domain/index.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

const server = privateTmuxPerTest();

/** A monitor whose sweep never fires in a test: only tmux's notifications can update it. */
function monitorOf(socketName: string) {
  const seen: { lists: Runtime[][]; changes: [string, string][] } = { lists: [], changes: [] };
  const watcher = new TmuxWatcher(new TmuxClient({ socketName }), {
    minBackoffMs: 50,
    maxBackoffMs: 200,
  });
  const monitor = new LocalMonitor(
    watcher,
    builtInProfiles(process.env),
    {
      runtimes: (list) => seen.lists.push(list),
      stateChanged: (id, state) => seen.changes.push([id, state]),
    },
    3_600_000,
  );
  const names = () => (seen.lists.at(-1) ?? []).map((r) => r.name).sort();
  return { monitor, watcher, seen, names };
}

describe('the local monitor on a real tmux server', () => {
  it('sees sessions made, renamed and killed by plain tmux, from notifications alone', async () => {
    await server.tmux('new-session', '-d', '-s', 'first', '-x', '80', '-y', '24');
    const { monitor, names } = monitorOf(server.name());
    monitor.start();
    try {
      await eventually(names, (n) => n.join() === 'first', 'the first session');
      await server.tmux('new-session', '-d', '-s', 'second');
      await eventually(names, (n) => n.join() === 'first,second', 'a new session');
      await server.tmux('rename-session', '-t', '=second', 'renamed');
      await eventually(names, (n) => n.join() === 'first,renamed', 'the rename');
      await server.tmux('kill-session', '-t', '=first');
      await eventually(names, (n) => n.join() === 'renamed', 'the kill');
    } finally {
      monitor.stop();
    }
  });

  it('starts with an empty list when no server runs, and picks the server up when it starts', async () => {
    const { monitor, seen, names } = monitorOf(server.name());
    monitor.start();
    try {
      await eventually(
        () => seen.lists.length,
        (n) => n > 0,
        'a first (empty) list',
      );
      expect(names()).toEqual([]);
      await server.tmux('new-session', '-d', '-s', 'late');
      await eventually(names, (n) => n.join() === 'late', 'the server that started later');
    } finally {
      monitor.stop();
    }
  });

  it('never reports the other sessions gone when the session its connection uses is closed', async () => {
    await server.tmux('new-session', '-d', '-s', 'first');
    await server.tmux('new-session', '-d', '-s', 'second');
    const { monitor, watcher, seen, names } = monitorOf(server.name());
    monitor.start();
    try {
      await eventually(names, (n) => n.join() === 'first,second', 'both sessions');
      await eventually(() => watcher.connected, Boolean, 'the control connection');
      const from = seen.lists.length;
      // The control client is attached to the first session: closing it ends that connection.
      await server.tmux('kill-session', '-t', '=first');
      await eventually(names, (n) => n.join() === 'second', 'the kill');
      await eventually(() => watcher.connected, Boolean, 'the connection made again');
      const blinks = seen.lists
        .slice(from)
        .filter((list) => !list.some((r) => r.name === 'second'));
      expect(blinks).toEqual([]);
    } finally {
      monitor.stop();
    }
  });

  it('shows runtimes gone while the server is down and recovers when it is back', async () => {
    await server.tmux('new-session', '-d', '-s', 'before');
    const { monitor, watcher, names } = monitorOf(server.name());
    monitor.start();
    try {
      await eventually(names, (n) => n.join() === 'before', 'the session');
      await server.tmux('kill-server');
      await eventually(names, (n) => n.length === 0, 'an empty list once the server is gone');
      await server.tmux('new-session', '-d', '-s', 'after');
      await eventually(names, (n) => n.join() === 'after', 'the restarted server');
      expect(watcher.connected).toBe(true);
    } finally {
      monitor.stop();
    }
  });

  it('keeps our metadata on the session: profile and ticket outlive the control room', async () => {
    await server.tmux('new-session', '-d', '-s', 'ours');
    // tmux 3.3 does not take the exact '=name' form in set-option's target.
    await server.tmux('set-option', '-t', 'ours', '@cr_profile', 'shell');
    await server.tmux('set-option', '-t', 'ours', '@cr_ticket', 'OPS-7');
    await server.tmux('new-session', '-d', '-s', 'theirs');
    const { monitor, seen, names } = monitorOf(server.name());
    monitor.start();
    try {
      await eventually(names, (n) => n.join() === 'ours,theirs', 'both sessions');
      const list = seen.lists.at(-1) ?? [];
      expect(list.find((r) => r.name === 'ours')).toMatchObject({
        profile: 'shell',
        ticket: 'OPS-7',
      });
      expect(list.find((r) => r.name === 'theirs')).toMatchObject({ profile: null, ticket: null });
      for (const r of list) expect(r.id).toMatch(/^rt_\d+_[0-9a-z]+$/);
    } finally {
      monitor.stop();
    }
  });
});
