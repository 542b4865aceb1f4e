import { describe, expect, it } from 'vitest';
import { type CliResult, describeResult, parseJson } from './helpers/cli.js';
import { startServe } from './helpers/host-serve.js';
import { cliOnPrivateTmux, type TmuxServer } from './helpers/tmux.js';

/**
 * tmux must never fall over because of us. tmux 3.3a can crash (a segfault writing
 * `%client-detached` to a control-mode client) when control clients attach and detach in
 * bursts, taking every session with it: a one-shot command attaches none, and a long-running
 * process keeps one. The built CLI against a private server with live sessions.
 */

const cliOnTmux = cliOnPrivateTmux();

/**
 * Three rounds in `npm test` (about two minutes on two cores); the ten with
 * `CR_STRESS_ROUNDS=10 npx vitest run test/e2e/tmux-clients.test.ts` (about six).
 */
const ROUNDS = Number(process.env.CR_STRESS_ROUNDS ?? 3);
const AT_ONCE = 20;
const LIVE = ['live-1', 'live-2', 'live-3'];

async function controlClients(server: TmuxServer): Promise<number> {
  const out = await server.run(['list-clients', '-F', '#{client_control_mode}']).catch(() => '');
  return out.split('\n').filter((line) => line === '1').length;
}

/** The most control clients seen while `work` runs (looked at every 50 ms). */
async function mostClientsDuring<T>(server: TmuxServer, work: Promise<T>) {
  let done = false;
  let most = 0;
  const watching = (async () => {
    while (!done) {
      most = Math.max(most, await controlClients(server));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    return { result: await work, most };
  } finally {
    done = true;
    await watching;
  }
}

describe('tmux clients of the control room', () => {
  it(`${AT_ONCE} one-shot commands at once, ${ROUNDS} rounds: tmux and every session live on, and no control client attaches`, async () => {
    const { server, cli } = await cliOnTmux({ keep: true });
    // Twenty at once on a loaded machine: slow, which is no failure here.
    const cr = (...args: string[]) =>
      cli.with({ timeoutMs: 600_000 }, '--tmux-socket', server.socket, ...args);
    for (const name of LIVE) await server.newSession(name, ['sleep', '86400']);
    const serverPid = async () => (await server.run(['display-message', '-p', '#{pid}'])).trim();
    const pid = await serverPid();
    const figures = { rounds: 0, crashes: 0, mostDuring: 0, leftAfter: 0 };
    let earlier: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const names = Array.from({ length: 8 }, (_, i) => `r${round}-${i}`);
      // Starting, listing and closing runtimes: every kind of one-shot command that reads tmux.
      const commands = [
        ...names.map((name) => ['--json', 'runtimes', 'new', '--profile', 'shell', '--name', name]),
        ...earlier.map((name) => ['runtimes', 'close', name]),
      ];
      while (commands.length < AT_ONCE) commands.push(['--json', 'runtimes', 'list']);
      const { result, most } = await mostClientsDuring(
        server,
        Promise.all(commands.map((args) => cr(...args))),
      );
      figures.rounds = round;
      figures.mostDuring = Math.max(figures.mostDuring, most);
      // A crashed server is started anew by the next `runtimes new`: another pid.
      if ((await serverPid().catch(() => '')) !== pid) figures.crashes += 1;
      const sessions = (await server.sessionNames()).filter((name) => name !== 'keep');
      for (const [i, outcome] of result.entries()) {
        expect(outcome.code, `${commands[i]?.join(' ')}: ${describeResult(outcome)}`).toBe(0);
      }
      expect(sessions.sort()).toEqual([...LIVE, ...names].sort());
      const listed = parseJson<{ name: string }[]>(result.at(-1) as CliResult);
      expect(listed.map((r) => r.name)).toEqual(expect.arrayContaining(LIVE));
      figures.leftAfter = Math.max(figures.leftAfter, await controlClients(server));
      expect(figures, `round ${round}`).toEqual({
        ...figures,
        crashes: 0,
        mostDuring: 0,
        leftAfter: 0,
      });
      earlier = names;
    }
    console.log(`one-shot stress: ${JSON.stringify(figures)}`);
    expect(figures).toEqual({ rounds: ROUNDS, crashes: 0, mostDuring: 0, leftAfter: 0 });
  }, 3_600_000);

  it('host serve keeps one control client, and none is left after a kill -9', async () => {
    const { server, cli } = await cliOnTmux({ keep: true });
    const serve = await startServe(cli.home, server.socket);
    const created = await serve.call('POST', '/runtimes', { profile: 'shell', name: 'made' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await serve.call('GET', '/runtimes');
    expect(listed.status).toBe(200);
    // The monitor and the driver read over the same connection.
    expect(await controlClients(server)).toBe(1);

    serve.child.kill('SIGKILL');
    const deadline = Date.now() + 20_000;
    while ((await controlClients(server)) > 0) {
      if (Date.now() > deadline) throw new Error('a control client outlived host serve');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await server.sessionNames()).sort()).toEqual(['keep', 'made']);
  });
});
