import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AppFailure, exitCodeFor, formatAppError } from '../domain/index.js';
import { type TerminalText, term, termBlock } from './terminal-text.js';

/** Where a command writes; tests hand in their own streams. */
export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * The one place the CLI writes to its streams. Text for the terminal is `TerminalText`
 * (terminal-text.ts: made only by builders that sanitise every value); JSON is escaped here.
 * test/unit/cli-print-path.test.ts holds every other file of src/cli to these functions.
 */
async function writeOut(stream: Writable, data: string | Buffer): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

/** Writes and waits for the pipe to take it, so a large listing is never cut at exit. */
export function write(stream: Writable, text: TerminalText): Promise<void> {
  return writeOut(stream, text.text);
}

/** Writes without waiting: for callers that cannot wait (a signal handler, commander's help). */
export function print(stream: Writable, text: TerminalText): void {
  stream.write(text.text);
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
  await writeOut(io.stdout, `${terminalSafeJson(JSON.stringify(value, null, 2))}\n`);
}

/** Whether UTF-8 bytes hold a character that `terminalSafeJson` would escape. */
export function needsTerminalEscape(bytes: Buffer): boolean {
  if (bytes.indexOf(0x7f) !== -1) return true;
  // C1 controls are C2 80–C2 9F; U+2028/9 and the bidi controls are E2 80 A8–AE, E2 81 A6–A9.
  for (let i = bytes.indexOf(0xc2); i !== -1; i = bytes.indexOf(0xc2, i + 1)) {
    const next = bytes[i + 1] ?? 0;
    if (next >= 0x80 && next <= 0x9f) return true;
  }
  for (let i = bytes.indexOf(0xe2); i !== -1; i = bytes.indexOf(0xe2, i + 1)) {
    const [b1, b2] = [bytes[i + 1] ?? 0, bytes[i + 2] ?? 0];
    if (b1 === 0x80 && b2 >= 0xa8 && b2 <= 0xae) return true;
    if (b1 === 0x81 && b2 >= 0xa6 && b2 <= 0xa9) return true;
  }
  return false;
}

/**
 * A JSON array from fragments (UTF-8, whole JSON values joined by ",\n"), each written as the
 * pipe takes it. Piped, it is one value a line (still one JSON value, and easy to grep); on a
 * terminal it is indented for reading. Bytes go from the database to the pipe undecoded.
 */
export async function writeJsonArray(
  io: Io,
  fragments: AsyncIterable<Buffer> | Iterable<Buffer>,
): Promise<void> {
  const pretty = io.stdout.isTTY === true;
  let first = true;
  for await (const fragment of fragments) {
    if (fragment.length === 0) continue;
    await writeOut(io.stdout, first ? '[\n' : ',\n');
    first = false;
    if (pretty) {
      const values = JSON.parse(`[${fragment.toString('utf8')}]`) as unknown[];
      const text = values.map((v) => JSON.stringify(v, null, 2).replace(/^/gm, '  ')).join(',\n');
      await writeOut(io.stdout, terminalSafeJson(text));
    } else {
      await writeOut(
        io.stdout,
        needsTerminalEscape(fragment) ? terminalSafeJson(fragment.toString('utf8')) : fragment,
      );
    }
  }
  await writeOut(io.stdout, first ? '[]\n' : '\n]\n');
}

/**
 * A message for the operator on stderr. Messages quote what they were given (keys, values, file
 * names), which is untrusted: `term` sanitises each value and keeps it on its line.
 */
export async function say(io: Io, message: TerminalText): Promise<void> {
  await write(io.stderr, term`control-room: ${message}\n`);
}

/**
 * The exit code of a command whose reader went away (`control-room tickets list | head`): 128 +
 * SIGPIPE, what a Unix tool killed by the broken pipe exits with.
 */
export const BROKEN_PIPE_EXIT = 141;

/** Whether `error` is a write to a pipe whose reader has closed it. */
export function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

/** Reports a failure on stderr and returns the exit code it calls for. */
export async function reportFailure(io: Io, error: unknown): Promise<number> {
  // Nobody reads our output any more: not a failure to report. Only when it is our own output
  // that broke (a pipe to tmux or an agent that closed is a real failure, and is reported).
  if (isBrokenPipe(error) && io.stdout.destroyed) return BROKEN_PIPE_EXIT;
  if (error instanceof AppFailure) {
    // Its message, then its hint on an indented line (a message may list several problems).
    await say(io, termBlock(formatAppError(error.error)));
    return exitCodeFor(error.error);
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  await say(io, termBlock(`unexpected failure: ${message}`));
  return 1;
}
