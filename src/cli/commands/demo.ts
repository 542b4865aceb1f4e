import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { socketPath } from '../../adapters/tmux/socket-path.js';
import { TmuxError } from '../../adapters/tmux/tmux-client.js';
import { AppFailure, type RuntimeState, toIso } from '../../domain/index.js';
import { CliContext } from '../context.js';
import { DEMO_ASKING_TICKET, DEMO_TICKETS, DEMO_WORKING_TICKET } from '../demo-tickets.js';
import { withDispatcher } from '../dispatching.js';
import { openLocalDriver, tmuxOf } from '../drivers.js';
import { print, say } from '../output.js';
import { terminalSize } from '../terminal-size.js';
import { term, termBlock } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';
import { openControlRoom } from './tui.js';

/**
 * `control-room demo`: the control room on a sandbox of its own — a fresh folder for config and
 * state, a private tmux server (`tmux -L cr-demo-<random>`), ten demo tickets and three simulated
 * agents (one idle, one working, one asking for approval). Quitting (or Ctrl-C, SIGTERM, SIGHUP,
 * a failure) removes the sandbox, unless `--keep`.
 */

/** The three agents: session name, profile, and the ticket each is given (none: it stays idle). */
const AGENTS = [
  { name: 'sim-idle', profile: 'sim', ticket: null, state: 'idle' },
  { name: 'sim-working', profile: 'sim-long', ticket: DEMO_WORKING_TICKET, state: 'busy' },
  { name: 'sim-asking', profile: 'sim-asks', ticket: DEMO_ASKING_TICKET, state: 'needs_input' },
] as const satisfies readonly {
  name: string;
  profile: string;
  ticket: string | null;
  state: RuntimeState;
}[];

const SETTLE_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

/**
 * The simulated agent's command: `sim-agent.js` beside the running bundle (the way the themes
 * folder is found); from source, the built one at the repository root, else its source through
 * tsx. Null when there is none.
 */
export function simAgentCommand(): string[] | null {
  const built = ['./sim-agent.js', '../../../dist/sim-agent.js'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = built.find((file) => existsSync(file));
  if (found !== undefined) return [process.execPath, found];
  const source = fileURLToPath(new URL('../../sim-agent/main.ts', import.meta.url));
  if (!existsSync(source)) return null;
  try {
    return [process.execPath, '--import', import.meta.resolve('tsx'), source];
  } catch {
    return null;
  }
}

/** The sandbox: its folder and tmux server, removed once (synchronously, so a signal can too). */
class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'cr-demo-'));
  readonly socket = `cr-demo-${randomBytes(5).toString('hex')}`;
  /** Where its runtimes start (new ones too): never the folder the demo was started in. */
  readonly workFolder = join(this.dir, 'work');
  /** The sandbox tmux server's pid, known once its first session is up. */
  serverPid: number | null = null;
  private finished = false;

  constructor(
    private readonly ctx: CliContext,
    private readonly keep: boolean,
  ) {}

  /** How to open it again, for `--keep`. */
  reuseText(): string {
    return (
      'control-room: the demo sandbox is kept; open it again with\n' +
      `  control-room --home ${this.dir} --tmux-socket ${this.socket}\n` +
      'and remove it with\n' +
      `  tmux -L ${this.socket} kill-server; rm -r ${this.dir}\n`
    );
  }

  /** The recordings made in the demo (`r` on a runtime), by path; none when there is no folder. */
  recordings(): string[] {
    const folder = join(this.dir, 'recordings');
    try {
      return readdirSync(folder)
        .filter((name) => name.endsWith('.cast'))
        .sort()
        .map((name) => join(folder, name));
    } catch {
      return [];
    }
  }

  /** What becomes of the demo's recordings: kept with the sandbox (their paths), or deleted. */
  recordingsText(): string {
    const files = this.recordings();
    if (files.length === 0) return '';
    const count = `${files.length} recording${files.length === 1 ? '' : 's'}`;
    if (this.keep) {
      return `the demo's ${count} (asciinema play FILE):\n${files.map((f) => `  ${f}\n`).join('')}`;
    }
    return (
      `control-room: the demo's ${count} in ${join(this.dir, 'recordings')} ` +
      'were deleted with the sandbox (control-room demo --keep keeps them)\n'
    );
  }

  /**
   * Removes the sandbox (or, with `--keep`, says how to reuse it), and says what became of its
   * recordings; later calls do nothing.
   */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    // Synchronous, so a signal handler can say it too before the process exits.
    const recordings = this.recordingsText();
    if (this.keep) {
      print(this.ctx.io.stderr, termBlock(this.reuseText() + recordings));
      return;
    }
    // A signal, not a `tmux kill-server` process: this also runs from the 'exit' event, where
    // only synchronous work happens, and a process spawned synchronously would block the loop.
    // tmux ends its sessions, and their agents, on SIGTERM.
    if (this.serverPid !== null) {
      try {
        process.kill(this.serverPid, 'SIGTERM');
      } catch {
        // Gone already.
      }
    }
    // tmux leaves its socket file behind; this one is the demo's alone.
    rmSync(socketPath(this.socket, this.ctx.env), { force: true });
    rmSync(this.dir, { recursive: true, force: true });
    if (recordings !== '') print(this.ctx.io.stderr, termBlock(recordings));
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Runs `work` with the sandbox removed however it ends: return, throw, signal or exit. */
async function withSandbox<T>(sandbox: Sandbox, work: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => {
    sandbox.finish();
    process.exit(128 + (constants.signals[signal] ?? 0));
  };
  const onExit = () => sandbox.finish();
  for (const signal of SIGNALS) process.once(signal, onSignal);
  process.once('exit', onExit);
  try {
    return await work();
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('exit', onExit);
    sandbox.finish();
  }
}

/** The pid of the sandbox's tmux server (it runs now: a session was just made on it). */
async function serverPid(ctx: CliContext, session: string): Promise<number | null> {
  const out = await tmuxOf(ctx)
    .run(['display-message', '-p', '-t', `=${session}:`, '#{pid}'])
    .catch(() => '');
  const pid = Number(out.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** The runtime states of the named sessions, polled until `done` or the deadline. */
async function waitForStates(
  ctx: CliContext,
  done: (states: Map<string, RuntimeState>) => boolean,
): Promise<Map<string, RuntimeState>> {
  const handle = await openLocalDriver(ctx);
  try {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const states = new Map((await handle.driver.list()).map((r) => [r.name, r.state]));
      if (done(states) || Date.now() > deadline) return states;
      await sleep(POLL_MS);
    }
  } finally {
    handle.stop();
  }
}

function describeStates(states: Map<string, RuntimeState>): string {
  return AGENTS.map((a) => `${a.name} ${states.get(a.name) ?? 'missing'}`).join(', ');
}

/** The sandbox's config file, and a context on the sandbox (its home, its tmux server). */
async function sandboxContext(outer: CliContext, sandbox: Sandbox): Promise<CliContext> {
  const sim = simAgentCommand();
  if (sim === null) {
    throw new AppFailure({
      kind: 'not_found',
      message: 'the simulated agent (dist/sim-agent.js) is missing',
      hint: 'build it: npm run build',
    });
  }
  // yaml is loaded for the demo only: it costs every other command ~50 ms to load.
  const { demoConfig } = await import('../demo-config.js');
  mkdirSync(sandbox.workFolder, { mode: 0o700 });
  writeFileSync(join(sandbox.dir, 'config.yaml'), demoConfig(sim, sandbox.workFolder));
  // The operator's --home and --tmux-socket (and CONTROL_ROOM_HOME) give way to the sandbox's.
  const ctx = await CliContext.create(
    outer.io,
    { ...outer.options, home: sandbox.dir, tmuxSocket: sandbox.socket },
    outer.env,
  );
  if (ctx.configProblem) throw ctx.configProblem;
  return ctx;
}

/** Fills the sandbox: tickets, and three agents in their states. */
async function setUp(ctx: CliContext, sandbox: Sandbox): Promise<void> {
  await say(ctx.io, term`adding ${DEMO_TICKETS.length} demo tickets…`);
  const now = Date.now();
  for (const { ageMinutes, ...draft } of DEMO_TICKETS) {
    ctx.tickets().add(draft, toIso(new Date(now - ageMinutes * 60_000)));
  }

  await say(ctx.io, term`starting three simulated agents…`);
  const size = terminalSize(ctx.io);
  const handle = await openLocalDriver(ctx);
  try {
    for (const agent of AGENTS) {
      await handle.driver.create({
        profile: agent.profile,
        name: agent.name,
        ...(size ? { size } : {}),
        ...(agent.ticket === null ? {} : { ticket: agent.ticket }),
      });
      sandbox.serverPid ??= await serverPid(ctx, agent.name);
    }
  } finally {
    handle.stop();
  }
  const ready = await waitForStates(ctx, (s) => AGENTS.every((a) => s.get(a.name) === 'idle'));
  if (!AGENTS.every((a) => ready.get(a.name) === 'idle')) {
    await say(ctx.io, term`the agents are slow to start (${describeStates(ready)}); going on`);
  }

  await say(
    ctx.io,
    term`giving ${DEMO_WORKING_TICKET} to sim-working (a long job) and ${DEMO_ASKING_TICKET} to sim-asking (it will ask for approval)…`,
  );
  await withDispatcher(ctx, 'demo', {}, async (dispatcher) => {
    for (const agent of AGENTS) {
      if (agent.ticket === null) continue;
      // By session name: the progress lines then name the agent.
      const outcome = await dispatcher.pickup(agent.ticket, {
        kind: 'existing',
        host: 'local',
        runtime: agent.name,
      });
      if (outcome.kind === 'failed') {
        await say(
          ctx.io,
          term`${agent.ticket} was not sent to ${agent.name}: ${outcome.error.message}`,
        );
      }
    }
  });
  const settled = await waitForStates(ctx, (s) => AGENTS.every((a) => s.get(a.name) === a.state));
  if (!AGENTS.every((a) => settled.get(a.name) === a.state)) {
    await say(
      ctx.io,
      term`not every agent is where the demo wants it (${describeStates(settled)})`,
    );
  }
}

async function runDemo(outer: CliContext, keep: boolean): Promise<number | undefined> {
  // Like the bare command, and before anything is made.
  if (!outer.io.stdin.isTTY || !outer.io.stdout.isTTY) {
    throw new AppFailure({
      kind: 'usage',
      message: 'the demo needs a terminal (standard input and output are not one)',
      hint: 'run control-room demo in a terminal',
    });
  }
  const sandbox = new Sandbox(outer, keep);
  return withSandbox(sandbox, async () => {
    // Before anything else: where the sandbox is (the end-to-end test reads this line).
    await say(
      outer.io,
      term`demo sandbox: home ${sandbox.dir}, tmux socket ${sandbox.socket} (${keep ? 'kept after you quit, recordings included' : 'removed when you quit, recordings included; --keep keeps it'})`,
    );
    let ctx: CliContext | undefined;
    try {
      ctx = await sandboxContext(outer, sandbox);
      await setUp(ctx, sandbox);
      await say(outer.io, term`opening the control room (q quits)…`);
      return await openControlRoom(ctx);
    } catch (error) {
      if (error instanceof TmuxError) {
        throw new AppFailure({
          kind: 'usage',
          message: `the demo could not start its agents: ${error.message}`,
          ...(error.problem === 'missing' ? { hint: 'install tmux 3.2 or later' } : {}),
        });
      }
      throw error;
    } finally {
      ctx?.close();
    }
  });
}

export function registerDemoCommand(program: Command, run: CommandRunner): void {
  program
    .command('demo')
    .description(
      'try the control room in a sandbox: demo tickets and three simulated agents (idle, ' +
        'working, asking), all removed when you quit',
    )
    .option('--keep', 'keep the sandbox after you quit, and print how to open it again')
    .action(
      // The demo reads nothing of the operator's config or state: a bad config is no matter.
      run((ctx, opts: { keep?: boolean }) => runDemo(ctx, opts.keep === true), {
        tolerateBadConfig: true,
      }),
    );
}
