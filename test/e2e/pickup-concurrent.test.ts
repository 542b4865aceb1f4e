import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BoundCli, type CliResult, describeResult, homeCli } from './helpers/cli.js';
import { addTicket, waitUntil } from './helpers/pickup-env.js';
import { SIM_AGENT_JS, simOnTmux } from './helpers/sim-on-tmux.js';

/**
 * One prompt per send (issue 14, item 1): two `pickup` processes of different tickets to one
 * idle runtime at once must never type into one prompt. One of them holds the runtime from its
 * state check to the confirmed submit; the other finds it busy (exit 3, the message waits) and
 * types nothing. Half the rounds race two processes on one database, half two control rooms
 * on two databases: the runtime's lease belongs to its tmux server, not to a database.
 * The built CLI, the simulated agent on a private tmux server, what the agent received from
 * its prompt log.
 */

const { setUp } = simOnTmux();
const ROUNDS = 10;

/** A second home on the same tmux server, with the same `sim` profile (its detector). */
async function secondHome(first: BoundCli, socket: string, log: string): Promise<BoundCli> {
  const home = await homeCli();
  const command = [process.execPath, SIM_AGENT_JS, '--log', log, '--work-ms', '400'];
  await writeFile(
    join(home.home, 'config.yaml'),
    JSON.stringify({ profiles: { sim: { command, detector: 'sim' } } }),
  );
  const cr = ((...args: string[]) => home('--tmux-socket', socket, ...args)) as BoundCli;
  cr.home = home.home;
  cr.with = (options, ...args) => home.with(options, '--tmux-socket', socket, ...args);
  expect(cr.home).not.toBe(first.home);
  return cr;
}

/** `dispatch --once` until the agent has received the waiting ticket's prompt. */
async function deliverWaiting(
  cr: BoundCli,
  marker: string,
  prompts: () => Promise<string[]>,
): Promise<void> {
  await waitUntil(
    `${marker} delivered by dispatch`,
    async () => {
      if ((await prompts()).some((p) => p.includes(marker))) return true;
      const pass = await cr('dispatch', '--once');
      expect(pass.code, describeResult(pass)).toBe(0);
      return undefined;
    },
    60_000,
    100,
  );
}

describe('two pickups of different tickets to one idle runtime at once', () => {
  it('type one prompt each, never one merged prompt', async () => {
    const { server, cr, startSim, prompts } = await setUp(400);
    const id = await startSim('shared');
    const other = await secondHome(cr, server.socket, join(cr.home, 'prompts.jsonl'));
    const marker = (round: number, side: string) => `race-${round}-${side}`;
    const exits: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Even rounds: two processes on one database; odd rounds: two databases.
      const homes = [cr, round % 2 === 0 ? cr : other] as const;
      const keys = await Promise.all([
        addTicket(homes[0], marker(round, 'a')),
        addTicket(homes[1], marker(round, 'b')),
      ]);
      await server.waitFor('shared', 'the agent to be idle', (s) => s.includes('enter to send'));
      const results: CliResult[] = await Promise.all(
        keys.map((key, i) => (homes[i] as BoundCli)('pickup', key, '--runtime', id)),
      );
      for (const result of results) {
        // 0 delivered, 3 busy (the message waits); never 4, never a merged delivery.
        expect([0, 3], describeResult(result)).toContain(result.code);
        exits.push(result.code);
      }
      for (const [i, result] of results.entries()) {
        const side = i === 0 ? 'a' : 'b';
        if (result.code === 3)
          await deliverWaiting(homes[i] as BoundCli, marker(round, side), prompts);
      }
    }
    const markers = Array.from({ length: ROUNDS }, (_, r) => [
      marker(r, 'a'),
      marker(r, 'b'),
    ]).flat();
    const received = await waitUntil('every ticket received', async () => {
      const all = await prompts();
      return markers.every((m) => all.some((p) => p.includes(m))) ? all : undefined;
    });
    const merged = received.filter((p) => markers.filter((m) => p.includes(m)).length > 1);
    expect(merged, `merged prompts:\n${merged.join('\n---\n')}`).toEqual([]);
    for (const m of markers) {
      expect(
        received.filter((p) => p.includes(m)),
        m,
      ).toHaveLength(1);
    }
    // The race was real: at least one round had a loser that found the runtime busy.
    expect(exits).toContain(3);
  }, 300_000);
});
