import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

/**
 * Runs the built CLI (`dist/control-room.js`) as a child process, the way a user's script does:
 * no shell, an argument array, a private home, and an environment without the caller's
 * CONTROL_ROOM_* and NO_COLOR settings.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../../..');
export const CLI_PATH = join(REPO_ROOT, 'dist', 'control-room.js');
/** The sample tickets and findings the tests import, kept in the repository (`test/fixtures`). */
export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures');

export function fixture(name: string): string {
  return join(FIXTURES_DIR, name);
}

/** Fails with a message that says what to do when the bundle is missing. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(
      `${CLI_PATH} does not exist: the end-to-end tests run the built CLI; run \`npm run build\` first`,
    );
  }
}

export async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The parent's environment without anything that would change how control-room behaves. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('CONTROL_ROOM_') || name === 'NO_COLOR') continue;
    env[name] = value;
  }
  // Never the user's default tmux server: unless a test names one (--tmux-socket wins over
  // this), the CLI looks at a private server that does not exist.
  env.CONTROL_ROOM_TMUX_SOCKET = `cr-e2e-none-${process.pid}`;
  // Inside the user's tmux, TMUX would point tmux commands at that server.
  delete env.TMUX;
  delete env.TMUX_PANE;
  return { ...env, ...extra };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Text (or bytes) written to standard input, which is then closed; closed at once without. */
  stdin?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** A program and its arguments that run Node in turn (`setpriv … --`, `unshare …`). */
  wrapper?: readonly string[];
}

const DEFAULT_TIMEOUT_MS = 45_000;

/** `node dist/control-room.js [--home HOME] ...args`; `home` null leaves `--home` out. */
export function runCli(
  home: string | null,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  requireBuiltCli();
  const argv = [CLI_PATH, ...(home === null ? [] : ['--home', home]), ...args];
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolvePromise, reject) => {
    const [program, ...before] = [...(options.wrapper ?? []), process.execPath];
    const child = spawn(program as string, [...before, ...argv], {
      cwd: options.cwd ?? REPO_ROOT,
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`control-room ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    // A command that exits without reading its input must not fail the test with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}

/** Parses stdout as JSON, saying what the command printed when it is not JSON. */
export function parseJson<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(
      `stdout is not JSON (${(error as Error).message}); exit ${result.code}\n` +
        `stdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`,
    );
  }
}

/** A fresh, empty home folder for one test, removed when the test finishes. */
export async function makeHome(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cr-e2e-home-'));
  onTestFinished(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A CLI bound to one home: `cr('tickets', 'list')`. */
export interface BoundCli {
  home: string;
  (...args: string[]): Promise<CliResult>;
  with(options: RunOptions, ...args: string[]): Promise<CliResult>;
}

export async function homeCli(): Promise<BoundCli> {
  const home = await makeHome();
  const cli = ((...args: string[]) => runCli(home, args)) as BoundCli;
  cli.home = home;
  cli.with = (options, ...args) => runCli(home, args, options);
  return cli;
}

export async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** The ticket shape of `cli.md`, as the tests read it. */
export interface TicketJson {
  key: string;
  title: string;
  severity: string;
  state: string;
  owner: string | null;
  location: string | null;
  flaggedBy: string | null;
  sourceHash: string | null;
  body?: string;
  suggestedFix?: string | null;
  runtime: { host: string; id: string; name: string | null; adopted: boolean } | null;
  lastError: unknown;
  messages: unknown[];
  events: { at: string; type: string; text: string }[];
  createdAt: string;
  updatedAt: string;
}

/** Fails the test with the command's output when it did not exit as expected. */
export function describeResult(result: CliResult): string {
  return `exit ${result.code}\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`;
}
