import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult } from './helpers/cli.js';
import { spawnCli, waitUntil } from './helpers/pickup-env.js';
import { simOnTmux } from './helpers/sim-on-tmux.js';

/**
 * One prompt per send (issue 14, item 1): two `dispatch` processes over many waiting messages
 * to the same runtimes. Each takes a different message (the outbox leases messages, not
 * runtimes), so both reach a runtime at once; the runtime's lease lets one type and makes the
 * other find it busy, its message left waiting. The built CLI, the simulated agent on a private
 * tmux server, what the agents received from their prompt log.
 */

const { setUp } = simOnTmux();
const RUNTIMES = ['one', 'two'];
const PER_RUNTIME = 10;

describe('two dispatch processes over waiting messages to the same runtimes', () => {
  it('deliver each message as a prompt of its own, once', async () => {
    const { server, cr, startSim, prompts } = await setUp(200);
    const ids: string[] = [];
    for (const name of RUNTIMES) ids.push(await startSim(name));
    const titles = RUNTIMES.flatMap((name) =>
      Array.from({ length: PER_RUNTIME }, (_, i) => `waits-for-${name}-${i}`),
    );
    const file = join(cr.home, 'tickets.json');
    await writeFile(
      file,
      JSON.stringify(titles.map((title, i) => ({ key: `DR-${i + 1}`, title, state: 'todo' }))),
    );
    const imported = await cr('tickets', 'import', file);
    expect(imported.code, describeResult(imported)).toBe(0);

    // Reported busy by the agents' hook meanwhile, the runtimes take no prompt: every pickup
    // leaves its message waiting (exit 3).
    for (const name of RUNTIMES) {
      await server.run(['set-option', '-p', '-t', name, '@agent_state', 'busy']);
    }
    for (let start = 0; start < titles.length; start += 4) {
      const batch = titles.slice(start, start + 4).map((_, j) => {
        const i = start + j;
        const runtime = ids[Math.floor(i / PER_RUNTIME)] as string;
        return cr('pickup', `DR-${i + 1}`, '--runtime', runtime);
      });
      for (const result of await Promise.all(batch)) {
        expect(result.code, describeResult(result)).toBe(3);
      }
    }
    expect(await prompts()).toEqual([]);
    for (const name of RUNTIMES) {
      await server.run(['set-option', '-p', '-u', '-t', name, '@agent_state']);
    }

    const dispatchers = [0, 1].map(() =>
      spawnCli(cr.home, ['--tmux-socket', server.socket, 'dispatch', '--interval', '100']),
    );
    try {
      const received = await waitUntil(
        'every waiting message delivered',
        async () => {
          const all = await prompts();
          return titles.every((t) => all.some((p) => p.includes(t))) ? all : undefined;
        },
        150_000,
        200,
      );
      const merged = received.filter((p) => titles.filter((t) => p.includes(t)).length > 1);
      expect(merged, `merged prompts:\n${merged.join('\n---\n')}`).toEqual([]);
      for (const title of titles) {
        expect(
          received.filter((p) => p.includes(title)),
          title,
        ).toHaveLength(1);
      }
    } finally {
      for (const d of dispatchers) d.child.kill('SIGTERM');
      await Promise.all(dispatchers.map((d) => d.exited));
    }
    const shown = await cr('--json', 'outbox', 'list');
    const states = (JSON.parse(shown.stdout) as { state: string }[]).map((m) => m.state);
    expect(states).toEqual(titles.map(() => 'delivered'));
  }, 240_000);
});
