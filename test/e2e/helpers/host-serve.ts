import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { onTestFinished } from 'vitest';
import { CLI_PATH, cleanEnv, requireBuiltCli } from './cli.js';

/** `control-room host serve` as its own process, the way an operator runs it. */
export interface ServeProcess {
  /** `http://127.0.0.1:PORT/v1`, as it printed it. */
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** One request with a JSON body (no token: the host serves loopback without one). */
  call(method: string, path: string, json?: unknown): Promise<{ status: number; body: unknown }>;
}

/**
 * Starts `host serve` on 127.0.0.1 (a free port) over the tmux server `socket`, on `home`; it
 * is killed when the test finishes, if the test has not killed it already.
 */
export async function startServe(home: string, socket: string): Promise<ServeProcess> {
  requireBuiltCli();
  const child = spawn(
    process.execPath,
    [CLI_PATH, '--home', home, '--tmux-socket', socket, 'host', 'serve', '--listen', '127.0.0.1:0'],
    { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`host serve did not start: ${said}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const match = /serving (http:\/\/\S+\/v1)/.exec(said);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host serve exited (${code}): ${said}`));
    });
  });
  const call = async (method: string, path: string, json?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      ...(json === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text) };
  };
  return { url, child, call };
}
