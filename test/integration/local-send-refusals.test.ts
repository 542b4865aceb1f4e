import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { socketPath } from '../../src/adapters/tmux/socket-path.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import type { Runtime } from '../../src/domain/index.js';
import { sendError } from './helpers/send-error.js';
import { REPO_ROOT, simProfile } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * The panes a ticket is never typed into, on a private tmux server (`tmux -L cr-it-…`): a pane
 * whose program is a shell (its lines would run as commands), and the control room's own pane
 * (`$TMUX`/`$TMUX_PANE` on this very server) or a pane whose tmux client shows it. Refused before
 * anything is typed: what the pane or the agent got is read back, never assumed.
 */

const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();

const key = () => `k-${randomBytes(6).toString('hex')}`;

async function runtimeNamed(driver: LocalTmuxDriver, name: string): Promise<Runtime> {
  return eventually(
    async () => (await driver.list()).find((r) => r.name === name),
    (r) => r !== undefined,
    `the runtime ${name}`,
  ) as Promise<Runtime>;
}

async function paneOf(session: string): Promise<string> {
  return (await server.tmux('list-panes', '-t', session, '-F', '#{pane_id}')).trim();
}

describe('LocalTmuxDriver.send refuses a shell', () => {
  it('refuses a pane whose program is a shell, and a new runtime of a shell profile, typing nothing', async () => {
    await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
    const proof = join(dirs.make(), 'proof');
    const ticket = `Issue: fix it\ntouch ${proof}\nthen stop`;
    const tmux = new TmuxClient({ socketName: server.name() });
    const driver = new LocalTmuxDriver({
      tmux,
      profiles: { shell: { name: 'shell', command: ['bash'], env: {}, detector: 'shell' } },
      env: { PATH: process.env.PATH },
    });
    await server.tmux('new-session', '-d', '-s', 'plain-sh', '--', 'sh');
    await server.tmux('new-session', '-d', '-s', 'plain-dash', '--', 'dash');
    const created = await driver.create({ profile: 'shell', name: 'new-shell', cwd: REPO_ROOT });
    for (const [name, program] of [
      ['plain-sh', 'sh'],
      ['plain-dash', 'dash'],
      ['new-shell', 'bash'],
    ] as const) {
      const runtime = name === 'new-shell' ? created : await runtimeNamed(driver, name);
      const error = await sendError(driver.send(runtime.id, ticket, { idempotencyKey: key() }));
      expect(error, name).toMatchObject({ kind: 'invalid', host: 'local' });
      expect(error.message, name).toContain(`${name} runs ${program}, a shell`);
      expect(error.message, name).toMatch(/start an agent in it, or pick an agent profile/);
      const screen = await server.tmux('capture-pane', '-p', '-t', await paneOf(name));
      expect(screen, name).not.toContain('touch');
      expect(screen, name).not.toContain('Issue:');
    }
    expect(existsSync(proof)).toBe(false);
  });
});

describe("LocalTmuxDriver.send refuses the control room's own pane", () => {
  async function startSim(name: string, log: string) {
    await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
    const tmux = new TmuxClient({ socketName: server.name() });
    const maker = new LocalTmuxDriver({ tmux, profiles: { sim: simProfile(log, 100) }, env: {} });
    const runtime = await maker.create({ profile: 'sim', name, cwd: REPO_ROOT });
    await eventually(
      async () => (await maker.screen(runtime.id)).lines.join('\n'),
      (s) => s.includes('enter to send'),
      'the agent ready and idle',
      20_000,
    );
    return { tmux, runtime };
  }
  const prompts = (log: string) =>
    existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];

  it('refuses the pane named by $TMUX_PANE on this server, but not the same pane id of another server', async () => {
    const log = join(dirs.make(), 'prompts.jsonl');
    const { tmux, runtime } = await startSim('op', log);
    const pane = await paneOf('op');
    const profiles = { sim: simProfile(log, 100) };
    const inside = new LocalTmuxDriver({
      tmux,
      profiles,
      env: { TMUX: `${socketPath(server.name(), process.env)},1,$0`, TMUX_PANE: pane },
    });
    expect((await inside.ownPanes()).runtimes).toEqual(new Set([runtime.id]));
    const error = await sendError(inside.send(runtime.id, 'hello', { idempotencyKey: key() }));
    expect(error).toMatchObject({ kind: 'invalid', host: 'local' });
    expect(error.message).toContain("op is the control room's own pane");
    expect(prompts(log)).toEqual([]);

    // The same pane id on another tmux server is another pane: this one is a target.
    const elsewhere = new LocalTmuxDriver({
      tmux,
      profiles,
      env: { TMUX: `${socketPath(`${server.name()}-other`, process.env)},1,$0`, TMUX_PANE: pane },
    });
    expect((await elsewhere.ownPanes()).runtimes.size).toBe(0);
    await elsewhere.send(runtime.id, 'hello', { idempotencyKey: key() });
    await eventually(
      () => prompts(log).length,
      (n) => n === 1,
      'the prompt delivered',
    );
  });

  it('refuses a pane whose tmux client shows the control room (a nested attach)', async () => {
    const log = join(dirs.make(), 'prompts.jsonl');
    const { tmux, runtime } = await startSim('op', log);
    const pane = await paneOf('op');
    // A pane of this server running a tmux client attached to the control room's session.
    await server.tmux(
      'new-session',
      '-d',
      '-s',
      'nest',
      '--',
      'env',
      '-u',
      'TMUX',
      'tmux',
      '-L',
      server.name(),
      'attach-session',
      '-t',
      'op',
    );
    await eventually(
      () => server.tmux('list-clients', '-F', '#{session_name}'),
      (out) => out.split('\n').includes('op'),
      'the nested client attached',
    );
    const driver = new LocalTmuxDriver({
      tmux,
      profiles: { sim: simProfile(log, 100) },
      env: { TMUX: `${socketPath(server.name(), process.env)},1,$0`, TMUX_PANE: pane },
    });
    const nest = await runtimeNamed(driver, 'nest');
    expect((await driver.ownPanes()).runtimes).toEqual(new Set([runtime.id, nest.id]));
    const error = await sendError(driver.send(nest.id, 'hello', { idempotencyKey: key() }));
    expect(error).toMatchObject({ kind: 'invalid' });
    expect(error.message).toContain("nest is the control room's own pane");
    expect(prompts(log)).toEqual([]);
  });
});
