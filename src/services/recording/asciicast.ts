import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Screen } from '../../domain/driver.js';
import type { LiveSource } from '../../domain/live.js';
import { sanitizeLine } from '../../domain/sanitize.js';
import { redrawText } from './screen-redraw.js';

/**
 * Records a runtime's raw output as an asciicast v2 file (docs.asciinema.org/manual/asciicast/v2):
 * a JSON header line (the pane's size), then one `[seconds, "o", text]` line per chunk of output
 * and `[seconds, "r", "COLSxROWS"]` per size change, which `asciinema play` and the web player
 * replay. The first output event draws the screen the runtime showed when recording started. Output is kept exactly (escape sequences included: that is what
 * a player needs); it is only ever replayed by a terminal emulator the operator chose to run.
 *
 * The file is private (0600, in a folder made 0700 when missing) since an agent's output may hold
 * secrets, and created exclusively: an existing file, or a link planted in its place, is refused.
 */

export interface RecordingOptions {
  source: LiveSource;
  runtimeId: string;
  file: string;
  /**
   * The header's width and height when the source cannot tell the pane's size (one that gives
   * the screen at the start has its size in the header instead).
   */
  width: number;
  height: number;
  title?: string;
  /** The terminal the output was written for: a tmux pane's, by default. */
  term?: string;
  /** Milliseconds since the epoch; the default is monotonic, so event times never jump. */
  now?: () => number;
  /** The recording closed itself: the runtime ended, or the file could not be written. */
  ended?: (reason: string) => void;
}

export interface Recording {
  readonly file: string;
  /** Stops listening, writes what is pending, closes the file. Safe to call more than once. */
  stop(): Promise<void>;
  /** Bytes written to the file so far, the header included. */
  readonly bytes: number;
  /** Event lines written so far. */
  readonly events: number;
}

/** A writer this far behind (a slow disk, a flooding agent) loses output rather than memory. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;
const MAX_SIZE = 10_000;

const monotonicNow = (): number => performance.timeOrigin + performance.now();

const validSize = (value: number): boolean =>
  Number.isInteger(value) && value >= 1 && value <= MAX_SIZE;

/** Opens `file` and starts recording; rejects when the file cannot be created. */
export async function startRecording(options: RecordingOptions): Promise<Recording> {
  for (const [name, value] of [
    ['width', options.width],
    ['height', options.height],
  ] as const) {
    if (!validSize(value)) {
      throw new Error(`recording ${name} must be an integer from 1 to ${MAX_SIZE}`);
    }
  }
  const now = options.now ?? monotonicNow;
  const started = now();
  await mkdir(path.dirname(options.file), { recursive: true, mode: 0o700 });
  const stream = createWriteStream(options.file, { flags: 'wx', mode: 0o600 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  return new AsciicastRecording(options, stream, now, started);
}

class AsciicastRecording implements Recording {
  readonly file: string;
  bytes = 0;
  events = 0;
  private readonly decoder = new StringDecoder('utf8');
  private last = 0;
  /** Output lost while the file fell behind, said in a marker once it has caught up. */
  private lost = 0;
  private failed = false;
  /** The header's size, then the latest resize's; null until the header is written. */
  private size: { width: number; height: number } | null = null;
  private closing: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly options: RecordingOptions,
    private readonly stream: WriteStream,
    private readonly now: () => number,
    private readonly started: number,
  ) {
    this.file = options.file;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (this.failed) return;
      this.failed = true;
      this.finish(`cannot write ${path.basename(this.file)}: ${error.code ?? error.message}`);
    });
    // The header waits for the screen the source gives at the start (its size is the pane's);
    // anything else that comes first writes it with the size the caller gave.
    const unsubscribe = options.source.output(options.runtimeId, {
      start: (screen) => this.screenAtStart(screen),
      resize: (cols, rows) => this.resize(cols, rows),
      data: (bytes) => this.data(bytes),
      dropped: (bytes) => this.gap(bytes, 'the host dropped'),
      ended: (reason) => this.finish(reason),
    });
    // A source that ended at once (inside `output`) has closed this recording already.
    if (this.closing !== null) unsubscribe();
    else this.unsubscribe = unsubscribe;
  }

  stop(): Promise<void> {
    return this.close();
  }

  /** Writes the header once, at the size given (the caller's when the source gave none). */
  private header(width = this.options.width, height = this.options.height): void {
    if (this.size !== null) return;
    this.size = { width, height };
    const header: Record<string, unknown> = {
      version: 2,
      width,
      height,
      timestamp: Math.floor(this.started / 1000),
    };
    if (this.options.title !== undefined) header.title = sanitizeLine(this.options.title);
    header.env = { TERM: this.options.term ?? 'tmux-256color' };
    this.write(`${JSON.stringify(header)}\n`);
  }

  /** The screen the runtime shows as the recording starts: the header's size, then drawn. */
  private screenAtStart(screen: Screen): void {
    if (this.closing !== null) return;
    if (validSize(screen.cols) && validSize(screen.rows)) {
      this.header(screen.cols, screen.rows);
      this.resize(screen.cols, screen.rows);
    } else this.header();
    this.event('o', redrawText(screen));
  }

  /** A size change: an `r` event (asciicast v2), when it is a change. */
  private resize(cols: number, rows: number): void {
    if (this.closing !== null || !validSize(cols) || !validSize(rows)) return;
    this.header();
    if (this.size?.width === cols && this.size.height === rows) return;
    this.size = { width: cols, height: rows };
    this.event('r', `${cols}x${rows}`);
  }

  private data(bytes: Buffer): void {
    if (this.closing !== null) return;
    this.header();
    if (this.stream.writableLength > MAX_PENDING_BYTES) {
      this.lost += bytes.length;
      return;
    }
    if (this.lost > 0) {
      const lost = this.lost;
      this.lost = 0;
      this.gap(lost, 'the disk fell behind and lost');
    }
    // The decoder keeps a character cut between two chunks until its last byte comes.
    const text = this.decoder.write(bytes);
    if (text.length > 0) this.event('o', text);
  }

  /** Output is missing here: a marker says how much, so the replay is not taken as whole. */
  private gap(bytes: number, what: string): void {
    if (this.closing !== null) return;
    this.header();
    // A character cut by the gap cannot be completed by what follows it.
    const tail = this.decoder.end();
    if (tail.length > 0) this.event('o', tail);
    this.event('m', `${what} ${bytes} bytes of output`);
  }

  private event(code: 'o' | 'm' | 'r', text: string): void {
    // Seconds since the start, never going back (a clock given by the caller might).
    const seconds = Math.max(this.last, (this.now() - this.started) / 1000);
    this.last = seconds;
    this.events += 1;
    this.write(`${JSON.stringify([Math.round(seconds * 1e6) / 1e6, code, text])}\n`);
  }

  private write(line: string): void {
    if (this.failed) return;
    this.bytes += Buffer.byteLength(line);
    this.stream.write(line);
  }

  /** The runtime or the file ended the recording: close it, then say so. */
  private finish(reason: string): void {
    if (this.closing !== null) return;
    void this.close().then(() => this.options.ended?.(reason));
  }

  private close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.unsubscribe?.();
      this.unsubscribe = null;
      // A recording that ends before anything came is still a valid (empty) cast.
      this.header();
      const tail = this.decoder.end();
      if (tail.length > 0) this.event('o', tail);
      if (this.stream.closed) {
        resolve();
        return;
      }
      // 'close', not 'finish': the descriptor is released and the file complete on disk.
      this.stream.once('close', () => resolve());
      // A stream that failed is destroyed already: it closes without an end.
      if (!this.stream.destroyed) this.stream.end();
    });
    return this.closing;
  }
}

/** `<stateDir>/recordings/<name>-<YYYYMMDD-HHMMSS>.cast`, in local time; the name is untrusted. */
export function recordingFileName(stateDir: string, runtimeName: string, date: Date): string {
  // Only [A-Za-z0-9._-] survive, and no leading dot: no separator, no `..`, no hidden file.
  let safe = runtimeName
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  safe = safe.slice(0, 64);
  if (safe.length === 0) safe = 'runtime';
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-` +
    `${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
  return path.join(stateDir, 'recordings', `${safe}-${stamp}.cast`);
}
