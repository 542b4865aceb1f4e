import { describe, expect, it } from 'vitest';
import { describeResult, parseJson } from './helpers/cli.js';
import {
  addTicket,
  eventTypes,
  type PickupTicket,
  showTicket,
  spawnCli,
  waitUntil,
} from './helpers/pickup-env.js';
import { simOnTmux } from './helpers/sim-on-tmux.js';

/**
 * One runtime works on one ticket (issue 13, items 5 and 6): a pickup to a runtime that is busy
 * with another ticket queues behind it, and `runtimes list` names the ticket a runtime works on,
 * however it got it. The built CLI, the simulated agent on a private tmux server, a real database.
 */

const { setUp } = simOnTmux();

interface ListedRuntime {
  id: string;
  name: string;
  host: string;
  ticket: string | null;
  adopted: boolean;
}

describe('a pickup to a runtime busy with another ticket', () => {
  it('queues behind it (exit 3); on delivery the first ticket says the runtime moved on', async () => {
    // Long enough work that the second pickup surely meets a working agent, even on a slow box.
    const { server, cr, startSim, prompts } = await setUp(8000);
    const id = await startSim('worker');
    const first = await addTicket(cr, 'the first job of the worker');
    const second = await addTicket(cr, 'the second job of the worker');
    const listed = async (): Promise<ListedRuntime | undefined> => {
      const list = await cr('--json', 'runtimes', 'list');
      expect(list.code, describeResult(list)).toBe(0);
      return parseJson<ListedRuntime[]>(list).find((r) => r.id === id);
    };
    // Started without --ticket: nothing names a ticket on the session itself.
    expect((await listed())?.ticket).toBeNull();

    const delivered = await cr('--json', 'pickup', first, '--runtime', id);
    expect(delivered.code, describeResult(delivered)).toBe(0);
    await server.waitFor('worker', 'the agent to work the first ticket', (s) =>
      s.includes('Working ('),
    );
    // The pickup to an existing runtime is what binds it: the list says so.
    expect(await listed()).toMatchObject({ ticket: first, adopted: false });

    const queued = await cr('--json', 'pickup', second, '--runtime', id);
    expect(queued.code, describeResult(queued)).toBe(3);
    expect(queued.stderr).toContain(`queued on local:worker after ${first}`);
    const waiting = parseJson<PickupTicket>(queued);
    expect(waiting.state).toBe('in_progress');
    expect(waiting.runtime).toBeNull();
    expect(waiting.messages).toEqual([
      expect.objectContaining({ state: 'pending', runtime: `local:${id}` }),
    ]);
    expect(waiting.events.at(-1)).toMatchObject({
      type: 'runtime_queued',
      text: expect.stringContaining(`queued on local:worker after ${first}`),
    });
    const shown = await cr('tickets', 'show', second);
    expect(shown.stdout).toMatch(new RegExp(`Runtime: +queued for local:${id} behind`));
    expect(shown.stdout).toContain(`queued on local:worker after ${first}`);
    // The first ticket keeps its runtime, and so does the list.
    expect((await showTicket(cr, first)).runtime).toMatchObject({ id, adopted: false });
    expect(await listed()).toMatchObject({ ticket: first });

    const dispatch = spawnCli(cr.home, [
      '--tmux-socket',
      server.socket,
      'dispatch',
      '--interval',
      '200',
    ]);
    try {
      const moved = await waitUntil(
        'the queued message delivered',
        async () => {
          const ticket = await showTicket(cr, second);
          return ticket.messages[0]?.state === 'delivered' ? ticket : undefined;
        },
        30_000,
        200,
      );
      expect(moved.runtime).toMatchObject({ host: 'local', id, adopted: false });
      const left = await showTicket(cr, first);
      expect(left.runtime).toBeNull();
      expect(eventTypes(left)).toContain('runtime_moved_on');
      expect(left.events.at(-1)?.text).toContain(`moved on to ${second}`);
      expect(await listed()).toMatchObject({ ticket: second });
    } finally {
      dispatch.child.kill('SIGTERM');
      await dispatch.exited;
    }
    const typed = await prompts();
    expect(typed.filter((p) => p.includes(second))).toHaveLength(1);
  });

  it('names the ticket a pickup bound in the table, read from the database by a new process', async () => {
    const { cr, startSim } = await setUp(300);
    const id = await startSim('keeper');
    const key = await addTicket(cr, 'the keeper keeps its ticket');
    const picked = await cr('pickup', key, '--runtime', id);
    expect(picked.code, describeResult(picked)).toBe(0);
    // Every `runtimes list` is a fresh process on the stored state: nothing held in memory.
    const list = await cr('runtimes', 'list');
    expect(list.code, describeResult(list)).toBe(0);
    const row = list.stdout.split('\n').find((line) => line.includes(id)) ?? '';
    expect(row).toContain(key);
  });
});
