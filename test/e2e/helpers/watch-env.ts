import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { type BoundCli, describeResult, homeCli, parseJson } from './cli.js';
import { SIM_AGENT_JS } from './sim-on-tmux.js';
import { TmuxServer, tuiCommand } from './tmux.js';

/**
 * The watch, attach, insert and record tests' world: two private tmux servers (`tmux -L
 * cr-e2e-…`, started with `-f /dev/null`, killed after each test). On `agents` the simulated
 * agents run, as the control room's runtimes (`--tmux-socket`); on `terminal` the control room
 * itself runs in a pane, the operator's terminal, read with capture-pane and typed into with
 * send-keys. Two servers, as an operator has them: attaching nests a client of the agents'
 * server in the control room's pane (inside its own server it would switch-client instead).
 * Call `watchWorld()` once per test file, at the top: it registers the cleanup.
 */

/** The control room's pane on the terminal server. */
export const TUI = 'tui';

export interface WatchWorld {
  /** The runtimes' tmux server. */
  agents: TmuxServer;
  /** The operator's terminal: the control room runs in its pane `tui`. */
  terminal: TmuxServer;
  /** The CLI on this test's home, watching the agents' server. */
  cr: BoundCli;
  /** Starts a runtime with `runtimes new` and waits until its agent shows its input line. */
  startAgent(name: string, profile?: 'sim' | 'sim-asks'): Promise<string>;
  /**
   * Opens the control room in the terminal's pane (120 columns; 32 rows unless `height`) with
   * these arguments after the global options.
   */
  openTui(size: { height?: number }, ...args: string[]): Promise<void>;
  /** The prompts the agents submitted (their --log), oldest first. */
  prompts(): Promise<string[]>;
  /** Types a prompt into an agent's own pane (as its operator would) and submits it. */
  prompt(name: string, text: string): Promise<void>;
  /** `tmux list-clients -t =NAME` on the agents' server: the clients attached to a runtime. */
  clientsOf(name: string): Promise<string[]>;
}

export interface WorldOptions {
  /** How long the agents work on a prompt. */
  workMs?: number;
  /** The config's `detachKey`; the default (Ctrl-]) without. */
  detachKey?: string;
}

export function watchWorld() {
  const servers: TmuxServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
  });
  return { setUp: (options: WorldOptions = {}) => setUp(servers, options) };
}

async function setUp(servers: TmuxServer[], options: WorldOptions): Promise<WatchWorld> {
  const agents = new TmuxServer();
  const terminal = new TmuxServer();
  servers.push(agents, terminal);
  // Each server starts with -f /dev/null through a session of our own, never the CLI.
  await agents.newSession('keep', ['sleep', '600']);
  const home = await homeCli();
  const log = join(home.home, 'prompts.jsonl');
  const sim = [process.execPath, SIM_AGENT_JS, '--log', log];
  const work = ['--work-ms', String(options.workMs ?? 1500)];
  // JSON is YAML: the paths need no quoting rules of their own.
  await writeFile(
    join(home.home, 'config.yaml'),
    JSON.stringify({
      profiles: {
        sim: { command: [...sim, ...work], detector: 'sim' },
        'sim-asks': { command: [...sim, '--ask-every', ...work], detector: 'sim' },
      },
      ...(options.detachKey ? { detachKey: options.detachKey } : {}),
    }),
  );
  const cr = ((...args: string[]) => home('--tmux-socket', agents.socket, ...args)) as BoundCli;
  cr.home = home.home;
  cr.with = (opts, ...args) => home.with(opts, '--tmux-socket', agents.socket, ...args);

  const startAgent = async (name: string, profile: 'sim' | 'sim-asks' = 'sim') => {
    const made = await cr(
      '--json',
      'runtimes',
      'new',
      '--profile',
      profile,
      '--name',
      name,
      '--cwd',
      home.home,
    );
    expect(made.code, describeResult(made)).toBe(0);
    const { id } = parseJson<{ id: string }>(made);
    await agents.waitFor(name, 'the agent to show its input line', (s) =>
      s.includes('enter to send'),
    );
    return id;
  };
  const openTui = async (size: { height?: number }, ...args: string[]) => {
    await terminal.newSession(TUI, [...tuiCommand(home.home, agents.socket), ...args], {
      width: 120,
      height: size.height ?? 32,
    });
  };
  const prompts = async (): Promise<string[]> => {
    const text = await readFile(log, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { prompt: string }).prompt);
  };
  const prompt = async (name: string, text: string) => {
    await agents.sendLiteral(name, text);
    await agents.waitFor(name, `"${text}" on the input line`, (s) => s.includes(text));
    await agents.sendKey(name, 'Enter');
  };
  const clientsOf = async (name: string) =>
    (await agents.run(['list-clients', '-t', `=${name}`, '-F', '#{client_tty}']))
      .split('\n')
      .filter(Boolean);
  return { agents, terminal, cr, startAgent, openTui, prompts, prompt, clientsOf };
}

/** The line of a screen that mentions `text` (a runtime's row), or ''. */
export const rowOf = (screen: string, text: string) =>
  screen.split('\n').find((line) => line.includes(text)) ?? '';

/** The selection marker is on the row of `name`. */
export const selected = (screen: string, name: string) => /^\W*›/.test(rowOf(screen, name));

/** The simulated agent's input line (`› TEXT`), as its pane shows it, without the prompt. */
export function inputLineOf(screen: string): string {
  const lines = screen.split('\n').filter((l) => l.startsWith('›'));
  return (lines[lines.length - 1] ?? '').slice(1).trim();
}

/** Moves the runtimes table's selection down to `name` (the rows are in name order). */
export async function selectRow(terminal: TmuxServer, name: string): Promise<void> {
  let screen = await terminal.waitFor(TUI, `${name} in the table`, (s) => rowOf(s, name) !== '');
  for (let moves = 0; !selected(screen, name); moves++) {
    if (moves > 10) throw new Error(`${name} never got selected; the screen showed:\n${screen}`);
    const before = screen.split('\n').findIndex((l) => /^\W*›/.test(l));
    await terminal.sendLiteral(TUI, 'j');
    screen = await terminal.waitFor(
      TUI,
      'the selection to move down',
      (s) => s.split('\n').findIndex((l) => /^\W*›/.test(l)) !== before,
    );
  }
}

/** The last non-empty line of a pane: the control room's footer. */
export function footerOf(screen: string): string {
  const lines = screen.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}
