import { describe, expect, it } from 'vitest';
import { CommandBatch } from '../../src/adapters/tmux/command-batch.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * The reads of a one-shot command, as tmux processes on a private server: those of one tick
 * share a process, and each is answered exactly as it would be alone.
 */

const server = privateTmuxPerTest();

/** A real client that counts the processes it starts. */
class CountingClient extends TmuxClient {
  processes = 0;
  override run(...args: Parameters<TmuxClient['run']>) {
    this.processes += 1;
    return super.run(...args);
  }
  override runSequence(...args: Parameters<TmuxClient['runSequence']>) {
    this.processes += 1;
    return super.runSequence(...args);
  }
}

async function setUp() {
  await server.tmux(
    'new-session',
    '-d',
    '-s',
    'a',
    '-x',
    '30',
    '-y',
    '5',
    'printf "one\\n\\nthree\\n"; exec sleep 600',
  );
  await server.tmux('new-session', '-d', '-s', 'b', '-x', '30', '-y', '3', 'exec sleep 600');
  const panes = (await server.tmux('list-panes', '-a', '-F', '#{pane_id}')).split('\n');
  const tmux = new CountingClient({ socketName: server.name() });
  return { tmux, batch: new CommandBatch(tmux), panes };
}

describe('commands of one tick', () => {
  it('run in one tmux process, each answered as it would be alone', async () => {
    const { tmux, batch, panes } = await setUp();
    const commands = [
      ['capture-pane', '-p', '-t', panes[0] as string],
      ['display-message', '-p', '-t', panes[1] as string, '#{pane_height} a;'],
      ['list-sessions', '-F', '#{session_name}'],
      ['capture-pane', '-p', '-t', panes[1] as string],
      ['set-option', '-t', 'a', '@x', 'y'],
    ];
    const alone = await Promise.all(commands.map(async (c) => (await tmux.run(c)).split('\n')));
    tmux.processes = 0;
    const together = await Promise.all(commands.map((c) => batch.command(c)));
    expect(tmux.processes).toBe(1);
    expect(together).toEqual(alone);
    expect(together[0]?.slice(0, 3)).toEqual(['one', '', 'three']);
  });

  it('a command that fails fails alone; the others are answered', async () => {
    const { tmux, batch, panes } = await setUp();
    const results = await Promise.allSettled([
      batch.command(['display-message', '-p', '-t', panes[0] as string, '#{pane_height}']),
      batch.command(['capture-pane', '-p', '-t', '%999']),
      batch.command(['display-message', '-p', '-t', panes[1] as string, '#{pane_height}']),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: ['5'] });
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: {
        problem: 'not_found',
        message: expect.stringMatching(/^tmux capture-pane: can't find pane/),
      },
    });
    expect(results[2]).toEqual({ status: 'fulfilled', value: ['3'] });
    expect(tmux.processes).toBe(2);
  });

  it('without a server, every command fails as it would alone', async () => {
    const tmux = new TmuxClient({ socketName: server.name() });
    const batch = new CommandBatch(tmux);
    const results = await Promise.allSettled([
      batch.command(['list-panes', '-a']),
      batch.command(['list-sessions']),
    ]);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'rejected', reason: { problem: 'no_server' } });
    }
  });
});
