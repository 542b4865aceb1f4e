/**
 * tmux control mode's wire format, as bytes: commands written as lines of tmux's command
 * language; answers between `%begin` and `%end`/`%error` guards; `%output` lines whose bytes are
 * octal-escaped; every other `%` line a notification. Shared by every control-mode client here.
 */

const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const OUTPUT = Buffer.from('%output ', 'latin1');
const EXTENDED = Buffer.from('%extended-output ', 'latin1');
const EXTENDED_SEPARATOR = Buffer.from(' : ', 'latin1');

export { commandLine, quoteArg } from './tmux-args.js';

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

/**
 * The pane of a `%output`/`%extended-output` line and where its (still escaped) bytes start;
 * null for any other line. Cheap: a watcher that only needs "this pane moved" stops here.
 */
export function outputPane(line: Buffer): { pane: string; data: Buffer } | null {
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
  return { pane, data };
}

/** A `%output` or `%extended-output` line: its pane and its bytes, decoded; null for others. */
export function parseOutputLine(line: Buffer): { pane: string; data: Buffer } | null {
  const output = outputPane(line);
  return output ? { pane: output.pane, data: decodeOutput(output.data) } : null;
}

function startsWith(line: Buffer, prefix: Buffer): boolean {
  return line.length >= prefix.length && line.subarray(0, prefix.length).equals(prefix);
}

/**
 * The guard around a command's answer: `%begin TIME NUMBER FLAGS`, closed by `%end` or `%error`
 * with the same time and number. Only that exact closing line ends the answer, so a captured
 * pane line that happens to read `%end …` cannot cut it short.
 */
export function parseGuard(line: string): { kind: string; key: string } | null {
  const match = /^%(begin|end|error) (\d+ \d+) \d+$/.exec(line);
  return match ? { kind: match[1] as string, key: match[2] as string } : null;
}

/**
 * Splits a byte stream into lines without decoding it (pane output is bytes, not text), minus a
 * trailing `\r`. A line split across chunks is joined once, when its end arrives.
 */
export class LineSplitter {
  private pending: Buffer[] = [];

  constructor(private readonly onLine: (line: Buffer) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) break;
      const piece = chunk.subarray(start, end);
      const line =
        this.pending.length > 0 ? Buffer.concat([...this.pending.splice(0), piece]) : piece;
      this.onLine(line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line);
      start = end + 1;
    }
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
  }
}
