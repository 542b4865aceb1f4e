import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { eventually } from '../../integration/helpers/tmux-server.js';
import { CLI_PATH, cleanEnv, REPO_ROOT, requireBuiltCli } from './cli.js';
import { TmuxServer } from './tmux.js';

/**
 * `control-room host serve` as a real process on 127.0.0.1 (a port of its own), over a private
 * tmux server, with a tokens file the test can rewrite. Stopped (SIGTERM, then SIGKILL) and
 * cleaned up when the test finishes.
 */

export interface HostProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  tokensFile: string;
  stderr(): string;
  /** Rewrites the tokens file (mode 0600) in place. */
  writeTokens(text: string): void;
  exited: Promise<number | string>;
}

export interface HostProcessOptions {
  tokens: string;
  args?: string[];
  /** Runs the host with this many open files at most (`prlimit --nofile`). */
  openFiles?: number;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cr-host-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts the host; resolves once it says where it serves, or rejects with what it said. */
export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  requireBuiltCli();
  const tmux = new TmuxServer();
  onTestFinished(() => tmux.kill());
  await tmux.newSession('keep', ['sleep', '600']);
  const home = tempDir();
  const tokensFile = join(tempDir(), 'tokens');
  const writeTokens = (text: string) => {
    writeFileSync(tokensFile, text, { mode: 0o600 });
    chmodSync(tokensFile, 0o600);
  };
  writeTokens(options.tokens);
  const cli = [CLI_PATH, '--home', home, '--tmux-socket', tmux.socket, 'host', 'serve'];
  const argv = [...cli, '--listen', '127.0.0.1:0', '--tokens-file', tokensFile];
  argv.push(...(options.args ?? []));
  const [command, args] =
    options.openFiles === undefined
      ? [process.execPath, argv]
      : [
          'prlimit',
          [`--nofile=${options.openFiles}:${options.openFiles}`, process.execPath, ...argv],
        ];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const err: Buffer[] = [];
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  const stderr = () => Buffer.concat(err).toString('utf8');
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
    ]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let gone: number | string | null = null;
  void exited.then((how) => {
    gone = how;
  });
  const serving = await eventually(
    () => /serving (http:\/\/127\.0\.0\.1:(\d+))\/v1/.exec(stderr()),
    (match) => match !== null || gone !== null,
    'the host says where it serves',
    30_000,
  );
  if (serving === null) throw new Error(`host serve exited (${gone}): ${stderr()}`);
  const url = serving[1] as string;
  return { child, url, port: Number(serving[2]), tokensFile, stderr, writeTokens, exited };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: the answers are checked field by field
  body: any;
}

/** One GET on a fresh connection (no pooling, as the control room's client). */
export function get(url: string, token: string | null): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request(
      url,
      { agent: false, headers: token === null ? {} : { authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text === '' ? null : JSON.parse(text),
          });
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end();
  });
}

/** A raw connection that records what it received and whether it closed. */
export interface RawConnection {
  socket: Socket;
  received(): string;
  closed(): boolean;
}

export function rawConnection(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let closed = false;
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => {
      closed = true;
    });
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => Buffer.concat(chunks).toString('utf8'),
        closed: () => closed,
      }),
    );
    socket.once('error', reject);
  });
}
