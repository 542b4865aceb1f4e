import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { type FaultServer, startFaultServer } from '../../integration/helpers/fault-server.js';
import {
  type BoundCli,
  CLI_PATH,
  cleanEnv,
  describeResult,
  parseJson,
  REPO_ROOT,
  requireBuiltCli,
  type TicketJson,
} from './cli.js';

/**
 * What the pickup tests share: the ticket JSON of `cli.md` with its messages and error typed,
 * a fault-injecting host added to a home, a long-running CLI child, and a poll with a deadline.
 */

export interface MessageJson {
  id: string;
  state: 'pending' | 'delivered' | 'failed' | 'unknown';
  runtime: string;
  error: string | null;
}

export interface LastErrorJson {
  kind: string;
  status: number | null;
  host: string;
  message: string;
  at: string;
}

export type PickupTicket = Omit<TicketJson, 'lastError' | 'messages'> & {
  lastError: LastErrorJson | null;
  messages: MessageJson[];
};

export function eventTypes(ticket: PickupTicket): string[] {
  return ticket.events.map((e) => e.type);
}

/** `tickets add --title T`; the new key. */
export async function addTicket(cr: BoundCli, title: string): Promise<string> {
  const added = await cr('tickets', 'add', '--title', title);
  expect(added.code, describeResult(added)).toBe(0);
  const key = added.stdout.trim();
  expect(key).toMatch(/^[A-Z][A-Za-z0-9_]*-\d+$/);
  return key;
}

/** `tickets show KEY --json`. */
export async function showTicket(cr: BoundCli, key: string): Promise<PickupTicket> {
  const shown = await cr('--json', 'tickets', 'show', key);
  expect(shown.code, describeResult(shown)).toBe(0);
  return parseJson<PickupTicket>(shown);
}

/** Polls `probe` until it returns something other than undefined; past the deadline, fails. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const HOST = 'bb';
export const TOKEN = 'cr-pickup-token-7d1e4b';

/** A fault server for this test (closed when it finishes), added to the home as the host `bb`. */
export async function faultHost(cr: BoundCli, url?: string): Promise<FaultServer> {
  const server = await startFaultServer();
  onTestFinished(() => server.close());
  const tokenFile = join(cr.home, 'token.txt');
  await writeFile(tokenFile, `${TOKEN}\n`);
  const added = await cr('hosts', 'add', HOST, url ?? server.url, '--token-file', tokenFile);
  expect(added.code, describeResult(added)).toBe(0);
  return server;
}

/** The runtime object of `runtime-api.md`. */
export function runtimeObject(id: string, state = 'idle') {
  return {
    id,
    name: `sess-${id}`,
    profile: 'codex',
    cwd: '/srv/work',
    state,
    ticket: null,
    createdAt: '2026-11-25T06:01:00Z',
    lastActivityAt: '2026-11-25T06:44:10Z',
    command: 'codex',
  };
}

/** The sends the server saw (not health or list calls), their bodies parsed. */
export function sendsSeen(server: FaultServer) {
  return server.requests
    .filter((r) => r.method === 'POST' && /^\/v1\/runtimes\/[^/]+\/send$/.test(r.url))
    .map((r) => ({
      url: r.url,
      authorization: r.headers.authorization,
      body: JSON.parse(r.body) as { text: string; idempotencyKey: string; ticket?: string },
    }));
}

export interface CliChild {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * The built CLI as a child that runs on while the test goes on (`dispatch`, a pickup to kill),
 * with the helpers' clean environment; SIGKILLed when the test finishes if still running.
 */
export function spawnCli(home: string, args: readonly string[]): CliChild {
  requireBuiltCli();
  const child = spawn(process.execPath, [CLI_PATH, '--home', home, ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return {
    child,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
    exited,
  };
}
