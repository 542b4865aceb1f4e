import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { readCast } from '../integration/helpers/live-cast.js';
import {
  CLI_PATH,
  cleanEnv,
  describeResult,
  makeHome,
  parseJson,
  requireBuiltCli,
  runCli,
} from './helpers/cli.js';
import { waitUntil } from './helpers/pickup-env.js';
import { selectChoice, TmuxServer } from './helpers/tmux.js';

/**
 * `control-room demo` in a real tmux pane (on a private test server), with TMPDIR pointed at a
 * folder of the test's own: the demo makes its sandbox there and its own tmux server
 * (`tmux -L cr-demo-…`); it says where on stderr before the control room opens, which the pane
 * command sends to a file.
 */

const execFileAsync = promisify(execFile);
const PANE = 'demo';
const SANDBOX_LINE = /demo sandbox: home (\S+), tmux socket (cr-demo-[0-9a-f]+)\b/;

let server: TmuxServer | undefined;

afterEach(async () => {
  await server?.kill();
  server = undefined;
});

interface DemoPane {
  tmux: TmuxServer;
  /** The folder that stands for TMPDIR in the demo. */
  tmp: string;
  /** The demo's standard error, as far as it got. */
  stderr(): Promise<string>;
  /** The demo's process id. */
  pid(): Promise<number>;
  /** The demo's exit status, once it has ended. */
  exited(): Promise<number>;
}

/**
 * The demo in a 120x40 pane, as the operator starts it (`node dist/control-room.js demo`), its
 * stderr to a file. Like `tuiCommand`, a shell waits for it and prints `EXITED:<status>` (a pane
 * left dead under remain-on-exit does not always get its status from tmux 3.3a); an inner shell
 * writes its pid to a file and execs the demo, so that pid is the demo's.
 */
async function startDemo(args: readonly string[] = []): Promise<DemoPane> {
  requireBuiltCli();
  const tmp = await makeHome();
  const logs = await makeHome();
  const errFile = join(logs, 'demo.stderr');
  const pidFile = join(logs, 'demo.pid');
  const tmux = new TmuxServer();
  server = tmux;
  await tmux.newSession(
    PANE,
    [
      'env',
      'NO_COLOR=1',
      `TMPDIR=${tmp}`,
      'sh',
      '-c',
      'err=$1; pidf=$2; inner=$3; shift 3; sh -c "$inner" "$pidf" "$@" 2>"$err"; echo "EXITED:$?"; sleep 30',
      'sh',
      errFile,
      pidFile,
      'echo $$ >"$0"; exec "$@"',
      process.execPath,
      CLI_PATH,
      'demo',
      ...args,
    ],
    { width: 120, height: 40 },
  );
  return {
    tmux,
    tmp,
    stderr: () => readFile(errFile, 'utf8').catch(() => ''),
    pid: () =>
      waitUntil('the demo pid', async () => {
        const text = await readFile(pidFile, 'utf8').catch(() => '');
        return /^\d+\n$/.test(text) ? Number(text) : undefined;
      }),
    exited: async () => {
      const screen = await tmux.waitFor(PANE, 'the demo to exit', (s) => /^EXITED:\d+$/m.test(s));
      return Number(/^EXITED:(\d+)$/m.exec(screen)?.[1]);
    },
  };
}

interface Sandbox {
  dir: string;
  socket: string;
  socketFile: string;
}

/** The sandbox the demo announced; removed after the test whatever happened to the demo. */
async function sandboxOf(demo: DemoPane): Promise<Sandbox> {
  const match = await waitUntil('the sandbox line on stderr', async () =>
    SANDBOX_LINE.exec(await demo.stderr())?.slice(1),
  );
  const [dir = '', socket = ''] = match;
  const uid = process.getuid?.() ?? 0;
  const socketFile = join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, socket);
  onTestFinished(async () => {
    await sandboxTmux(socket, ['kill-server']).catch(() => '');
    await rm(socketFile, { force: true });
    await rm(dir, { recursive: true, force: true });
  });
  return { dir, socket, socketFile };
}

/** A tmux command on the demo's own server, never any other. */
async function sandboxTmux(socket: string, args: readonly string[]): Promise<string> {
  if (!/^cr-demo-[0-9a-f]+$/.test(socket)) throw new Error(`not a demo socket: ${socket}`);
  const { stdout } = await execFileAsync('tmux', ['-L', socket, ...args], {
    env: cleanEnv(),
    timeout: 10_000,
  });
  return stdout;
}

/** A ticket row starts with its key, after at most a narrow gutter (a selection mark). */
const rowKeys = (screen: string) =>
  screen.split('\n').flatMap((line) => /^\W{0,4}?(DEMO-\d+) /.exec(line)?.[1] ?? []);
const rowOf = (screen: string, key: string) =>
  screen.split('\n').find((line) => new RegExp(`^\\W{0,4}?${key} `).test(line)) ?? '';

const hasList = (screen: string) =>
  /^control-room {2}10 tickets · /m.test(screen) && rowKeys(screen).length === 10;

interface RuntimeRow {
  name: string;
  state: string;
  profile: string | null;
  ticket: string | null;
}

const WANTED = { 'sim-asking': 'needs_input', 'sim-idle': 'idle', 'sim-working': 'busy' };

/** The sandbox's runtimes by name, as `runtimes list` sees them, once they are as wanted. */
async function agentsSettled(sandbox: Sandbox): Promise<Record<string, RuntimeRow>> {
  let last = '';
  try {
    return await waitUntil('the three agents idle, working and asking', async () => {
      const listed = await runCli(sandbox.dir, [
        '--json',
        '--tmux-socket',
        sandbox.socket,
        'runtimes',
        'list',
      ]);
      last = describeResult(listed);
      if (listed.code !== 0) return undefined;
      const rows = parseJson<RuntimeRow[]>(listed);
      const states = Object.fromEntries(rows.map((r) => [r.name, r.state]));
      return JSON.stringify(states) === JSON.stringify(WANTED)
        ? Object.fromEntries(rows.map((r) => [r.name, r]))
        : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\nlast listing: ${last}`);
  }
}

/**
 * In the runtimes view (r), records the selected runtime (r) until the footer says where, and
 * goes back to the tickets (t); the recording's file.
 */
async function recordOneRuntime(demo: DemoPane): Promise<string> {
  await demo.tmux.sendLiteral(PANE, 'r');
  await demo.tmux.waitFor(PANE, 'the runtimes view', (s) => s.includes('sim-idle'));
  await demo.tmux.sendLiteral(PANE, 'r');
  const screen = await demo.tmux.waitFor(PANE, 'the recording started', (s) =>
    /recording \S+ to \S+\.cast/.test(s.replace(/\n/g, '')),
  );
  const file = /recording \S+ to (\S+\.cast)/.exec(screen.replace(/\n/g, ''))?.[1] ?? '';
  await waitUntil('the screen at the start recorded', () =>
    existsSync(file) && readCast(file).events.length > 0 ? true : undefined,
  );
  await demo.tmux.sendLiteral(PANE, 't');
  return file;
}

describe('control-room demo', () => {
  it('opens the control room on ten tickets and three agents, and removes it all on q', async () => {
    const demo = await startDemo();
    // The asking agent's ticket turns to needs input as soon as the control room sees it ask.
    await demo.tmux.waitFor(
      PANE,
      'the ticket list, one ticket needing input',
      (s) => hasList(s) && /6 todo · 1 in progress · 1 need input · 1 review · 1 done/.test(s),
    );
    const sandbox = await sandboxOf(demo);
    expect(sandbox.dir.startsWith(join(demo.tmp, 'cr-demo-'))).toBe(true);
    expect(existsSync(join(sandbox.dir, 'config.yaml'))).toBe(true);

    const sessions = (await sandboxTmux(sandbox.socket, ['list-sessions', '-F', '#{session_name}']))
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(sessions).toEqual(['sim-asking', 'sim-idle', 'sim-working']);
    const agents = await agentsSettled(sandbox);
    expect(agents['sim-working']?.ticket).toBe('DEMO-4');
    expect(agents['sim-asking']?.ticket).toBe('DEMO-7');
    expect(agents['sim-idle']?.ticket).toBeNull();
    // What each agent shows: its input line, its work, its question.
    const pane = (name: string) => sandboxTmux(sandbox.socket, ['capture-pane', '-p', '-t', name]);
    expect(await pane('sim-idle')).toContain('enter to send');
    expect(await pane('sim-working')).toMatch(/Working \(\d+s • esc to interrupt\)/);
    expect(await pane('sim-asking')).toContain('Allow command "npm test"? (y/n)');
    // The control room shows whom each ticket went to.
    const rows = await demo.tmux.waitFor(
      PANE,
      'the tickets on their agents',
      (s) =>
        rowOf(s, 'DEMO-4').includes('sim-working') && rowOf(s, 'DEMO-7').includes('sim-asking'),
    );
    expect(rowOf(rows, 'DEMO-4')).toMatch(/critical\s+in progress/);
    expect(rowOf(rows, 'DEMO-7')).toMatch(/high\s+needs input/);

    // Navigate (filter down to one ticket), pick it up, and see it delivered to the idle agent.
    await demo.tmux.sendLiteral(PANE, '/DEMO-2 ');
    await demo.tmux.sendKey(PANE, 'Enter');
    await demo.tmux.waitFor(
      PANE,
      'DEMO-2 alone and selected',
      (s) => /^\W*›\s*DEMO-2 /m.test(s) && s.includes('1 of 10'),
    );
    await demo.tmux.sendLiteral(PANE, 'p');
    await demo.tmux.waitFor(PANE, 'the idle agent offered first', (s) =>
      /^\W*›.*local:sim-idle/m.test(s),
    );
    await demo.tmux.sendKey(PANE, 'Enter');
    const delivered = await demo.tmux.waitFor(PANE, 'DEMO-2 delivered', (s) =>
      /DEMO-2\s+\w+\s+in progress\s+-\s+sim-idle/.test(s),
    );
    expect(delivered).toContain('DEMO-2 delivered to local:sim-idle');
    expect(await pane('sim-idle')).toMatch(/DEMO-2/);

    await demo.tmux.sendLiteral(PANE, 'q');
    expect(await demo.exited()).toBe(0);
    expect(existsSync(sandbox.dir)).toBe(false);
    expect(existsSync(sandbox.socketFile)).toBe(false);
    await expect(sandboxTmux(sandbox.socket, ['list-sessions'])).rejects.toThrow();
    expect(await readdir(demo.tmp)).toEqual([]);
    expect(await demo.stderr()).not.toContain('unexpected failure');
  });

  it('starts a new runtime in the sandbox, at the size of the terminal', async () => {
    const demo = await startDemo();
    await demo.tmux.waitFor(PANE, 'the ticket list', hasList);
    const sandbox = await sandboxOf(demo);
    await agentsSettled(sandbox);

    await demo.tmux.sendLiteral(PANE, '/DEMO-2 ');
    await demo.tmux.sendKey(PANE, 'Enter');
    await demo.tmux.waitFor(PANE, 'DEMO-2 alone', (s) => /^\W*›\s*DEMO-2 /m.test(s));
    await demo.tmux.sendLiteral(PANE, 'p');
    await demo.tmux.waitFor(PANE, 'the chooser', (s) => s.includes('Pick DEMO-2 up'));
    await selectChoice(demo.tmux, PANE, 'new runtime: sim ');
    await demo.tmux.sendKey(PANE, 'Enter');
    await demo.tmux.waitFor(PANE, 'DEMO-2 delivered', (s) =>
      s.includes('DEMO-2 delivered to a new sim runtime'),
    );
    // The sessions beside the three agents: the one started for DEMO-2.
    const panes = await sandboxTmux(sandbox.socket, [
      'list-panes',
      '-a',
      '-F',
      '#{session_name} #{pane_current_path} #{window_width}x#{window_height}',
    ]);
    const started = panes.split('\n').filter((line) => line !== '' && !line.startsWith('sim-'));
    expect(started).toHaveLength(1);
    const [, folder = '', size] = (started[0] as string).split(' ');
    expect(folder.startsWith(`${await realpath(sandbox.dir)}/`)).toBe(true);
    expect(size).toBe('120x40');

    await demo.tmux.sendLiteral(PANE, 'q');
    expect(await demo.exited()).toBe(0);
  });

  it('says on quit where its recordings were, and that they are deleted', async () => {
    const demo = await startDemo();
    await demo.tmux.waitFor(PANE, 'the ticket list', hasList);
    const sandbox = await sandboxOf(demo);
    await agentsSettled(sandbox);
    const file = await recordOneRuntime(demo);
    expect(file.startsWith(join(sandbox.dir, 'recordings'))).toBe(true);

    await demo.tmux.sendLiteral(PANE, 'q');
    expect(await demo.exited()).toBe(0);
    const stderr = await demo.stderr();
    expect(stderr).toContain(`1 recording in ${join(sandbox.dir, 'recordings')}`);
    expect(stderr).toMatch(/deleted with the sandbox.*--keep keeps/s);
    expect(existsSync(sandbox.dir)).toBe(false);
  });

  it('SIGTERM ends it and removes the sandbox too', async () => {
    const demo = await startDemo();
    await demo.tmux.waitFor(PANE, 'the ticket list', hasList);
    const sandbox = await sandboxOf(demo);
    await agentsSettled(sandbox);

    process.kill(await demo.pid(), 'SIGTERM');
    expect(await demo.exited()).toBe(143);
    expect(existsSync(sandbox.dir)).toBe(false);
    expect(existsSync(sandbox.socketFile)).toBe(false);
    await expect(sandboxTmux(sandbox.socket, ['list-sessions'])).rejects.toThrow();
    expect(await readdir(demo.tmp)).toEqual([]);
  });

  it('--keep leaves the sandbox and says how to open it again', async () => {
    const demo = await startDemo(['--keep']);
    await demo.tmux.waitFor(PANE, 'the ticket list', hasList);
    const sandbox = await sandboxOf(demo);
    await agentsSettled(sandbox);

    const file = await recordOneRuntime(demo);

    await demo.tmux.sendLiteral(PANE, 'q');
    expect(await demo.exited()).toBe(0);
    const stderr = await demo.stderr();
    expect(stderr).toContain(`control-room --home ${sandbox.dir} --tmux-socket ${sandbox.socket}`);
    // The recording is kept with the sandbox, and its path said.
    expect(stderr).toContain(file);
    expect(readCast(file).header).toMatchObject({ version: 2, width: 120, height: 40 });
    expect(existsSync(join(sandbox.dir, 'control-room.db'))).toBe(true);
    expect(existsSync(sandbox.socketFile)).toBe(true);

    // Opened again as it says: the same tickets and agents.
    const tickets = await runCli(null, [
      '--home',
      sandbox.dir,
      '--tmux-socket',
      sandbox.socket,
      '--json',
      'tickets',
      'list',
    ]);
    expect(tickets.code, describeResult(tickets)).toBe(0);
    expect(parseJson<unknown[]>(tickets)).toHaveLength(10);
    const agents = await agentsSettled(sandbox);
    expect(Object.keys(agents).sort()).toEqual(['sim-asking', 'sim-idle', 'sim-working']);
  });

  it('without a terminal it exits 2 and makes nothing', async () => {
    const tmp = await makeHome();
    const tmuxTmp = await makeHome();
    for (const args of [['demo'], ['demo', '--keep']]) {
      const result = await runCli(null, args, { env: { TMPDIR: tmp, TMUX_TMPDIR: tmuxTmp } });
      expect(result.code, describeResult(result)).toBe(2);
      expect(result.stderr).toContain('needs a terminal');
      expect(result.stdout).toBe('');
    }
    expect(await readdir(tmp)).toEqual([]);
    expect(await readdir(tmuxTmp)).toEqual([]);
  });
});
