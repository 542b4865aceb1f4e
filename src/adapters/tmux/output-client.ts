import { EventEmitter } from 'node:events';
import type { ResultPromise } from 'execa';
import { spawnControlMode } from './control-client.js';
import { type TmuxClient, TmuxError } from './tmux-client.js';

const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const OUTPUT = Buffer.from('%output ', 'latin1');
const EXTENDED = Buffer.from('%extended-output ', 'latin1');
const EXTENDED_SEPARATOR = Buffer.from(' : ', 'latin1');

/**
 * Control mode's escaping undone: tmux writes every byte below 32, and the backslash, as `\ooo`
 * (three octal digits); every other byte as it is.
 */
export function decodeOutput(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i] as number;
    if (byte === BACKSLASH && isOctal(data, i + 1)) {
      out[n++] =
        (((data[i + 1] as number) - 48) << 6) |
        (((data[i + 2] as number) - 48) << 3) |
        ((data[i + 3] as number) - 48);
      i += 3;
    } else {
      out[n++] = byte;
    }
  }
  return out.subarray(0, n);
}

function isOctal(data: Buffer, at: number): boolean {
  if (at + 2 >= data.length) return false;
  for (let i = at; i < at + 3; i++) {
    const c = data[i] as number;
    if (c < 48 || c > 55) return false;
  }
  return (data[at] as number) <= 51;
}

/** A `%output` or `%extended-output` line: its pane and its bytes, decoded; null for others. */
export function parseOutputLine(line: Buffer): { pane: string; data: Buffer } | null {
  let rest: Buffer;
  let extended = false;
  if (startsWith(line, OUTPUT)) rest = line.subarray(OUTPUT.length);
  else if (startsWith(line, EXTENDED)) {
    rest = line.subarray(EXTENDED.length);
    extended = true;
  } else return null;
  const space = rest.indexOf(0x20);
  if (space < 0) return null;
  const pane = rest.subarray(0, space).toString('latin1');
  if (!/^%\d+$/.test(pane)) return null;
  let data = rest.subarray(space + 1);
  if (extended) {
    // `%extended-output %pane age ... : data`
    const separator = data.indexOf(EXTENDED_SEPARATOR);
    if (separator < 0) return null;
    data = data.subarray(separator + EXTENDED_SEPARATOR.length);
  }
  return { pane, data: decodeOutput(data) };
}

function startsWith(line: Buffer, prefix: Buffer): boolean {
  return line.length >= prefix.length && line.subarray(0, prefix.length).equals(prefix);
}

/**
 * One `tmux -C attach-session -f ignore-size,read-only` to a session, WITH pane output: it emits
 * `output` (pane id, raw bytes) for every `%output`/`%extended-output`, and `exit` once (tmux's
 * `%exit`, the session or server gone, or close()). Its stdout is read as bytes, never as text,
 * and always promptly: a listener that falls behind is the caller's to drop, never tmux's.
 */
export class OutputClient extends EventEmitter {
  private pending: Buffer[] = [];
  private exited = false;
  private inBlock = false;
  private ready: ((error: Error | null) => void) | null = null;

  private constructor(private readonly process: ResultPromise) {
    super();
  }

  static connect(
    tmux: TmuxClient,
    sessionId: string,
    options: { timeoutMs?: number } = {},
  ): Promise<OutputClient> {
    const { child, stderr } = spawnControlMode(tmux, sessionId, 'ignore-size,read-only');
    const client = new OutputClient(child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.ready = null;
        client.close();
        reject(new TmuxError('timeout', 'tmux control mode did not answer'));
      }, options.timeoutMs ?? 5000);
      client.ready = (error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(client);
      };
      client.once('exit', (reason: string) => {
        const words = stderr().trim() || reason;
        const problem = /no server|error connecting/i.test(words)
          ? 'no_server'
          : /can't find|no such session/i.test(words)
            ? 'not_found'
            : 'failed';
        client.settle(new TmuxError(problem, `tmux control mode: ${words}`, stderr()));
      });
      client.listen();
    });
  }

  get closed(): boolean {
    return this.exited;
  }

  close(): void {
    if (this.exited) return;
    this.process.stdin?.end();
    this.process.kill();
  }

  private settle(error: Error | null): void {
    const ready = this.ready;
    this.ready = null;
    ready?.(error);
  }

  private listen(): void {
    this.process.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
    void this.process.then((result) =>
      this.finish(`tmux exited (${result.exitCode ?? result.signal ?? 'gone'})`),
    );
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) break;
      const piece = chunk.subarray(start, end);
      const line =
        this.pending.length > 0 ? Buffer.concat([...this.pending.splice(0), piece]) : piece;
      this.onLine(line);
      start = end + 1;
    }
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
  }

  private onLine(raw: Buffer): void {
    const line = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw;
    if (this.inBlock) {
      const text = line.subarray(0, 8).toString('latin1');
      if (text.startsWith('%end ') || text.startsWith('%error ')) {
        this.inBlock = false;
        // The attach command is answered first; the connection is usable after that.
        this.settle(
          text.startsWith('%end ')
            ? null
            : new TmuxError('failed', 'tmux control mode: attach-session failed'),
        );
      }
      return;
    }
    const output = parseOutputLine(line);
    if (output) {
      this.emit('output', output.pane, output.data);
      return;
    }
    const text = line.toString('latin1');
    if (text.startsWith('%begin ')) this.inBlock = true;
    else if (text.startsWith('%exit')) this.finish(text.slice(6).trim() || 'detached');
  }

  private finish(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    this.process.stdin?.end();
    this.emit('exit', reason);
  }
}
