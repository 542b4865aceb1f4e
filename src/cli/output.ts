import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AppFailure, exitCodeFor, formatAppError, sanitize } from '../domain/index.js';

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

// JSON.stringify escapes only C0 controls. DEL, C1 controls (a lone \u009b starts a CSI on some
// terminals), line separators and bidi overrides pass through raw; escape them too. The JSON
// stays valid and parses to the same value.
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafeJson(json: string): string {
  RAW_IN_JSON.lastIndex = 0;
  if (!RAW_IN_JSON.test(json)) return json;
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function writeJson(io: Io, value: unknown): Promise<void> {
  await write(io.stdout, `${terminalSafeJson(JSON.stringify(value, null, 2))}\n`);
}

/**
 * A JSON array from items that are JSON texts already, written in ~1 MB pieces as the pipe takes
 * them. Piped, it is one item a line (still one JSON value, and easy to grep); on a terminal it
 * is indented for reading.
 */
export async function writeJsonArray(io: Io, items: Iterable<string>): Promise<void> {
  const pretty = io.stdout.isTTY === true;
  let buffer = '[';
  let first = true;
  for (const item of items) {
    const json = pretty ? JSON.stringify(JSON.parse(item), null, 2).replace(/^/gm, '  ') : item;
    const text = terminalSafeJson(json);
    buffer += `${first ? '\n' : ',\n'}${text}`;
    first = false;
    if (buffer.length >= 1 << 20) {
      await write(io.stdout, buffer);
      buffer = '';
    }
  }
  await write(io.stdout, `${buffer}${first ? '' : '\n'}]\n`);
}

/**
 * A message for the operator on stderr. Messages quote what they were given (keys, values, file
 * names), which is untrusted: it is sanitised like everything else that reaches the terminal.
 */
export async function say(io: Io, message: string): Promise<void> {
  await write(io.stderr, `control-room: ${sanitize(message)}\n`);
}

/** Reports a failure on stderr and returns the exit code it calls for. */
export async function reportFailure(io: Io, error: unknown): Promise<number> {
  if (error instanceof AppFailure) {
    await say(io, formatAppError(error.error));
    return exitCodeFor(error.error);
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  await say(io, `unexpected failure: ${message}`);
  return 1;
}
