import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTORE_TERMINAL } from '../../src/adapters/pty/terminal-modes.js';
import { insideSameTmuxServer, switchClient } from '../../src/adapters/pty/tmux-attach.js';
import { socketPath } from '../../src/adapters/tmux/socket-path.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import type { RunnerResult } from './helpers/attach-runner.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * Interactive attach in real tmux: the runner (the attach half of the control room) runs in an
 * outer pty standing for the operator's terminal, attached to a session of a private tmux server.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNER = path.join(REPO_ROOT, 'test/integration/helpers/attach-runner.ts');
const SESSION = 'work';
const ESC = '\x1b';

const server = privateTmuxPerTest();

interface Outer {
  term: pty.IPty;
  /** Everything the runner wrote to its terminal so far, one byte a character. */
  output: () => string;
  exited: Promise<number>;
}

const outers: Outer[] = [];
afterEach(() => {
  for (const outer of outers.splice(0)) {
    try {
      outer.term.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

function startRunner(key = 'ctrl-]', mode = 'tmux'): Outer {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== 'TMUX' && name !== 'TMUX_PANE') env[name] = value;
  }
  const term = pty.spawn(
    process.execPath,
    ['--import', 'tsx', RUNNER, server.name(), SESSION, key, mode],
    { name: 'xterm-256color', cols: 80, rows: 24, cwd: REPO_ROOT, env, encoding: null },
  );
  const chunks: Buffer[] = [];
  term.onData((data) => chunks.push(data as unknown as Buffer));
  const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
  const outer: Outer = { term, output: () => Buffer.concat(chunks).toString('latin1'), exited };
  outers.push(outer);
  return outer;
}

async function startSession(): Promise<void> {
  await server.tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', 'cat');
}

async function clients(): Promise<string[]> {
  const text = await server.tmux('list-clients', '-F', '#{client_pid} #{client_tty}');
  return text.split('\n').filter(Boolean);
}

async function pane(): Promise<string> {
  return server.tmux('capture-pane', '-p', '-t', `=${SESSION}:`);
}

async function sessionAlive(): Promise<boolean> {
  try {
    await server.tmux('has-session', '-t', `=${SESSION}`);
    return true;
  } catch {
    return false;
  }
}

/** Starts the runner and waits until its tmux client is attached (its stdin is raw by then). */
async function attached(key?: string, mode?: string): Promise<Outer> {
  await startSession();
  const outer = startRunner(key, mode);
  await eventually(clients, (list) => list.length === 1, 'the runner to attach', 30_000);
  return outer;
}

async function resultOf(outer: Outer): Promise<RunnerResult> {
  const line = await eventually(
    () => /ATTACH-RESULT (\{.*\})/.exec(outer.output())?.[1],
    (found) => found !== undefined,
    'the runner to report',
  );
  expect(await outer.exited, 'the runner exits by itself').toBe(0);
  return JSON.parse(line as string) as RunnerResult;
}

describe('interactive attach through node-pty', () => {
  it('forwards typed input to the session', async () => {
    const outer = await attached();
    outer.term.write('hello\r');
    await eventually(pane, (text) => text.includes('hello'), 'hello in the pane');
  });

  // One key press in each form a terminal may send it in (detach-key.ts).
  it.each([
    ['raw', '\x1d'],
    ['CSI u (kitty keyboard)', `${ESC}[93;5u`],
    ['modifyOtherKeys', `${ESC}[27;5;93~`],
  ])('detaches on Ctrl-] sent %s, leaving the session running', async (_form, bytes) => {
    const outer = await attached();
    outer.term.write(bytes);
    const result = await resultOf(outer);

    expect(result).toMatchObject({ how: 'detached', exitCode: 0, rawAfter: false });
    // tmux detach-client did it, not the hang-up a second later.
    expect(outer.output()).toContain('[detached (from session work)]');
    expect(await sessionAlive()).toBe(true);
    expect(await clients()).toEqual([]);
    // The terminal modes are reset after the client has gone, before the report.
    const output = outer.output();
    const restoredAt = output.lastIndexOf(RESTORE_TERMINAL);
    expect(restoredAt).toBeGreaterThan(output.indexOf('[detached'));
    expect(restoredAt).toBeLessThan(output.indexOf('ATTACH-RESULT'));
  });

  it('forwards the bytes before the key in the same chunk', async () => {
    const outer = await attached();
    outer.term.write('abc\x1d');
    expect((await resultOf(outer)).how).toBe('detached');
    expect(await pane()).toContain('abc');
  });

  it('honours another detach key, and forwards Ctrl-] then', async () => {
    const outer = await attached('ctrl-q');
    outer.term.write('x\x1dy\r');
    // The pane's tty echoes the control byte as ^] (echoctl), then cat prints it back raw.
    await eventually(pane, (text) => text.includes('x^]y'), 'x^]y in the pane');
    expect(await clients()).toHaveLength(1);
    outer.term.write(`${ESC}[113;5u`);
    expect((await resultOf(outer)).how).toBe('detached');
    expect(await sessionAlive()).toBe(true);
  });

  it('hangs the client up when the detach does not end it', async () => {
    const outer = await attached('ctrl-]', 'ignore');
    outer.term.write('\x1d');
    const result = await resultOf(outer);
    expect(result.how).toBe('detached');
    expect(result.ms).toBeGreaterThanOrEqual(900);
    expect(await sessionAlive()).toBe(true);
    await eventually(clients, (list) => list.length === 0, 'the client to go');
    expect(outer.output()).toContain(RESTORE_TERMINAL);
  });

  it('hangs up at once without a detach function (the SSH case)', async () => {
    const outer = await attached('ctrl-]', 'hangup');
    outer.term.write('\x1d');
    expect((await resultOf(outer)).how).toBe('detached');
    expect(await sessionAlive()).toBe(true);
    await eventually(clients, (list) => list.length === 0, 'the client to go');
  });

  it('reports exited when the session ends under it', async () => {
    const outer = await attached();
    await server.tmux('kill-session', '-t', `=${SESSION}`);
    const result = await resultOf(outer);
    expect(result).toMatchObject({ how: 'exited', exitCode: 0, rawAfter: false });
    expect(outer.output()).toContain(RESTORE_TERMINAL);
  });

  it('forwards a resize of the terminal to the client', async () => {
    const outer = await attached();
    outer.term.resize(100, 30);
    await eventually(
      () => server.tmux('list-clients', '-F', '#{client_width}x#{client_height}'),
      (size) => size === '100x30',
      'the client to take 100x30',
    );
  });
});

describe('inside the same tmux server', () => {
  it('tells its own server from another by the socket in $TMUX', async () => {
    const tmux = new TmuxClient({ socketName: server.name() });
    const mine = { TMUX: `${socketPath(server.name(), process.env)},4242,$0` };
    expect(await insideSameTmuxServer(mine, tmux)).toBe(true);
    const other = { TMUX: `${socketPath('someone-else', process.env)},4242,$0` };
    expect(await insideSameTmuxServer(other, tmux)).toBe(false);
    expect(await insideSameTmuxServer({}, tmux)).toBe(false);
  });

  it('switches the client showing the control room to the session, and tmux L comes back', async () => {
    // The control room's own session, shown by a client (the runner's), and the agent's session.
    const outer = await attached();
    await server.tmux('new-session', '-d', '-s', 'agent', 'cat');
    const controlPane = await server.tmux(
      'display-message',
      '-p',
      '-t',
      `=${SESSION}:`,
      '#{pane_id}',
    );
    const tmux = new TmuxClient({ socketName: server.name() });
    const env = { TMUX: `${socketPath(server.name(), process.env)},1,$0`, TMUX_PANE: controlPane };

    const wayBack = await switchClient(tmux, 'agent', env);
    const sessionOfClient = () => server.tmux('list-clients', '-F', '#{client_session}');
    expect(await sessionOfClient()).toBe('agent');
    expect(wayBack).toBe('C-b L returns to the control room (tmux switch-client -l)');

    // What prefix L runs, typed into the client's terminal: the client goes back.
    outer.term.write('\x02L');
    await eventually(sessionOfClient, (name) => name === SESSION, 'the client back on work');
  });
});
