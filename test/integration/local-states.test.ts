import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { LocalMonitor } from '../../src/adapters/tmux/local-monitor.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import type { Profile, Runtime, RuntimeState } from '../../src/domain/index.js';
import { SIM_AGENT } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * Runtime states as the LocalMonitor reports them, for the simulated agent (src/sim-agent, run
 * from source) in real tmux panes on a private server (`tmux -L cr-it-<random> -f /dev/null`),
 * killed after each test: read off the screen, and reported by the agent's hook (@agent_state).
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const IDLE_HINT = 'enter to send';
const SWEEP_MS = 200;

const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();
const stops: (() => void)[] = [];
// Registered after the server's hook, so it runs first: the monitor stops before the server dies.
afterEach(() => {
  for (const stop of stops.splice(0).reverse()) stop();
});

interface Setup {
  driver: LocalTmuxDriver;
  /** The states the monitor reported for one runtime through stateChanged, in order. */
  changes(id: string): RuntimeState[];
  /** The runtime in the latest list the monitor gave. */
  latest(id: string): Runtime | undefined;
  latestByName(name: string): Runtime | undefined;
  /** Waits until the latest list shows the runtime in `state`. */
  reaches(id: string, state: RuntimeState, timeoutMs?: number): Promise<void>;
}

/**
 * A server started first (so `-f /dev/null` applies, with `exit-empty off`), a driver whose
 * `sim` profile runs the simulated agent with `args`, and a monitor sweeping every 200 ms.
 */
async function setUp(args: readonly string[]): Promise<Setup> {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const log = join(dirs.make(), 'prompts.jsonl');
  const profiles: Record<string, Profile> = {
    sim: { name: 'sim', command: [...SIM_AGENT, '--log', log, ...args], env: {}, detector: 'sim' },
  };
  const tmux = new TmuxClient({ socketName: server.name() });
  const driver = new LocalTmuxDriver({ tmux, profiles });
  const lists: Runtime[][] = [];
  const changes: [string, RuntimeState][] = [];
  const monitor = new LocalMonitor(
    new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 }),
    profiles,
    {
      runtimes: (list) => lists.push(list),
      stateChanged: (id, state) => changes.push([id, state]),
    },
    SWEEP_MS,
  );
  monitor.start();
  stops.push(() => monitor.stop());
  const latest = (id: string) => lists.at(-1)?.find((r) => r.id === id);
  return {
    driver,
    changes: (id) => changes.filter(([of]) => of === id).map(([, state]) => state),
    latest,
    latestByName: (name) => lists.at(-1)?.find((r) => r.name === name),
    reaches: async (id, state, timeoutMs = 15_000) => {
      await eventually(
        () => latest(id)?.state,
        (s) => s === state,
        `the monitor to report ${state} for ${id}`,
        timeoutMs,
      );
    },
  };
}

/** A sim agent made by the driver, once its screen shows it ready; with its pane id. */
async function startAgent(setup: Setup, name: string): Promise<{ id: string; pane: string }> {
  const runtime = await setup.driver.create({ profile: 'sim', cwd: REPO_ROOT, name });
  await eventually(
    async () => (await setup.driver.screen(runtime.id)).lines.join('\n'),
    (s) => s.includes('sim-agent ready') && s.includes(IDLE_HINT),
    'the agent ready',
    20_000,
  );
  const pane = (await server.tmux('list-panes', '-t', name, '-F', '#{pane_id}')).trim();
  return { id: runtime.id, pane };
}

const send = (setup: Setup, id: string, text: string) =>
  setup.driver.send(id, text, { idempotencyKey: `k-${randomBytes(6).toString('hex')}` });

/** Whether `states` holds `wanted` in this order (not necessarily next to each other). */
function inOrder(states: readonly RuntimeState[], wanted: readonly RuntimeState[]): boolean {
  let next = 0;
  for (const state of states) if (state === wanted[next]) next++;
  return next === wanted.length;
}

describe('runtime states from the screen', () => {
  it('goes idle, busy while it works, and idle again', async () => {
    const setup = await setUp(['--work-ms', '2500']);
    const { id } = await startAgent(setup, 'worker');
    await setup.reaches(id, 'idle');
    expect(setup.changes(id).at(-1)).toBe('idle');
    const before = setup.changes(id).length;
    await send(setup, id, 'refactor the parser');
    await setup.reaches(id, 'busy');
    await setup.reaches(id, 'idle');
    const after = setup.changes(id).slice(before);
    expect(inOrder(after, ['busy', 'idle'])).toBe(true);
    expect(after).not.toContain('needs_input');
    expect(setup.latest(id)).toMatchObject({ profile: 'sim', name: 'worker' });
  });

  it('asks for approval (needs_input), and goes idle once answered', async () => {
    const setup = await setUp(['--work-ms', '1000']);
    const { id, pane } = await startAgent(setup, 'asker');
    await setup.reaches(id, 'idle');
    const before = setup.changes(id).length;
    await send(setup, id, 'run the tests [approve]');
    await setup.reaches(id, 'needs_input');
    await server.tmux('send-keys', '-t', pane, '-l', 'y');
    await setup.reaches(id, 'idle');
    expect(inOrder(setup.changes(id).slice(before), ['busy', 'needs_input', 'idle'])).toBe(true);
  });
});

describe('runtime states from the agent hook (@agent_state)', () => {
  it('reports busy then idle from the agent that sets its own pane option', async () => {
    const setup = await setUp(['--work-ms', '1500', '--state-hook']);
    const { id, pane } = await startAgent(setup, 'hooked');
    const hook = () => server.tmux('show-options', '-p', '-v', '-t', pane, '@agent_state');
    await eventually(hook, (v) => v.trim() === 'idle', 'the agent hook to report idle');
    await setup.reaches(id, 'idle');
    const before = setup.changes(id).length;
    await send(setup, id, 'write the changelog');
    await setup.reaches(id, 'busy');
    await setup.reaches(id, 'idle');
    expect(inOrder(setup.changes(id).slice(before), ['busy', 'idle'])).toBe(true);
    expect((await hook()).trim()).toBe('idle');
  });

  it('follows a hook state that nothing on the screen could explain', async () => {
    const setup = await setUp([]);
    // A quiet pane (no pattern, no shell) in a session marked as the sim profile: only the hook
    // can make it busy or waiting; its screen alone would say idle.
    await server.tmux('new-session', '-d', '-s', 'quiet', '-x', '80', '-y', '24', 'sleep', '300');
    await server.tmux('set-option', '-t', 'quiet', '@cr_profile', 'sim');
    const pane = (await server.tmux('list-panes', '-t', 'quiet', '-F', '#{pane_id}')).trim();
    const id = await eventually(
      () => setup.latestByName('quiet')?.id,
      (found) => found !== undefined,
      'the quiet session in the list',
    );
    if (id === undefined) throw new Error('unreachable');
    await setup.reaches(id, 'idle');
    await server.tmux('set-option', '-p', '-t', pane, '@agent_state', 'busy');
    await setup.reaches(id, 'busy');
    await server.tmux('set-option', '-p', '-t', pane, '@agent_state', 'waiting');
    await setup.reaches(id, 'needs_input');
    await server.tmux('set-option', '-p', '-t', pane, '@agent_state', 'idle');
    await setup.reaches(id, 'idle');
    expect(setup.changes(id).slice(-3)).toEqual(['busy', 'needs_input', 'idle']);
  });
});

describe('an agent that ends', () => {
  it('is exited, and stays in the list (remain-on-exit)', async () => {
    const setup = await setUp(['--work-ms', '500']);
    const { id } = await startAgent(setup, 'leaver');
    await setup.reaches(id, 'idle');
    await send(setup, id, '/exit');
    await setup.reaches(id, 'exited');
    expect(setup.changes(id).at(-1)).toBe('exited');
    expect(setup.latest(id)).toMatchObject({ name: 'leaver', state: 'exited' });
  });
});
