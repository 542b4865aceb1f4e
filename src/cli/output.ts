import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AppFailure, exitCodeFor, formatAppError } from '../domain/index.js';

/** Where a command writes; tests hand in their own streams. */
export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Writes and waits for the pipe to take it, so a large listing is never cut at exit. */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function writeJson(io: Io, value: unknown): Promise<void> {
  await write(io.stdout, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reports a failure on stderr and returns the exit code it calls for. */
export async function reportFailure(io: Io, error: unknown): Promise<number> {
  if (error instanceof AppFailure) {
    await write(io.stderr, `control-room: ${formatAppError(error.error)}\n`);
    return exitCodeFor(error.error);
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  await write(io.stderr, `control-room: unexpected failure: ${message}\n`);
  return 1;
}
