import type { Runtime } from '../../domain/runtime.js';
import { parseRuntime } from './parse.js';

/**
 * `text/event-stream` framing (the WHATWG server-sent events rules) and the events of
 * `runtime-api.md`'s output stream. Pure: the caller feeds decoded text in any chunking, since TCP
 * cuts a stream wherever it likes, a line break included (CR in one chunk, LF in the next).
 */

export interface SseEvent {
  /** The `event:` field; `message` when the event had none. */
  type: string;
  /** The `data:` lines joined with LF. */
  data: string;
  /** The last `id:` seen so far (SSE carries it over to later events), or null. */
  id: string | null;
}

/** A host that sends an endless line or event must not fill memory: the stream is refused. */
export class EventStreamTooLarge extends Error {
  constructor(limit: number) {
    super(`an event larger than ${limit} characters`);
    this.name = 'EventStreamTooLarge';
  }
}

/** Generous: an output event is at most one control-mode line of a pane, in base64. */
const DEFAULT_MAX_EVENT_CHARS = 16 * 1024 * 1024;

export class EventStreamParser {
  private pending = '';
  private data: string[] = [];
  private dataChars = 0;
  private type = '';
  private id: string | null = null;
  private started = false;
  /** The last chunk ended with CR: an LF opening the next one is the same line break. */
  private afterCr = false;

  constructor(private readonly maxEventChars = DEFAULT_MAX_EVENT_CHARS) {}

  /** Feeds the next piece of the stream; returns the events it completed, in order. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (this.afterCr && text.startsWith('\n')) text = text.slice(1);
    if (text.length === 0) return [];
    const events: SseEvent[] = [];
    const buffer = this.pending + text;
    const breaks = /\r\n|\r|\n/g;
    let start = 0;
    for (let found = breaks.exec(buffer); found !== null; found = breaks.exec(buffer)) {
      this.line(buffer.slice(start, found.index), events);
      start = found.index + found[0].length;
    }
    this.pending = buffer.slice(start);
    this.afterCr = buffer.endsWith('\r');
    if (this.pending.length + this.dataChars > this.maxEventChars) {
      throw new EventStreamTooLarge(this.maxEventChars);
    }
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      // A blank line ends the event; one without a data field is not dispatched (the spec).
      if (this.data.length > 0) {
        events.push({ type: this.type || 'message', data: this.data.join('\n'), id: this.id });
      }
      this.data = [];
      this.dataChars = 0;
      this.type = '';
      return;
    }
    if (line.startsWith(':')) return; // a comment: the host's keepalive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') {
      this.data.push(value);
      this.dataChars += value.length + 1;
      if (this.dataChars > this.maxEventChars) throw new EventStreamTooLarge(this.maxEventChars);
    } else if (field === 'id' && !value.includes('\0')) this.id = value;
    // `retry` and unknown fields are ignored: the client keeps its own reconnect policy.
  }
}

/** An event of the output stream, as `runtime-api.md` and the reference host send them. */
export type OutputStreamEvent =
  | { kind: 'output'; bytes: Buffer }
  | { kind: 'dropped'; bytes: number }
  | { kind: 'state'; runtime: Runtime | null }
  | { kind: 'ignored' };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads one event of the output stream. Anything malformed (bad base64, a count that is not a
 * count) is `ignored` rather than trusted: the host is another program.
 */
export function readOutputEvent(event: SseEvent): OutputStreamEvent {
  if (event.type === 'output') {
    const text = event.data.replace(/\s+/g, '');
    if (text.length % 4 !== 0 || !BASE64.test(text)) return { kind: 'ignored' };
    return { kind: 'output', bytes: Buffer.from(text, 'base64') };
  }
  if (event.type === 'dropped') {
    // The reference host sends `{"bytes":N}`; a bare number is accepted too.
    let value: unknown;
    try {
      value = JSON.parse(event.data);
    } catch {
      return { kind: 'ignored' };
    }
    const bytes =
      typeof value === 'object' && value !== null ? (value as { bytes?: unknown }).bytes : value;
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
      return { kind: 'ignored' };
    }
    return { kind: 'dropped', bytes };
  }
  if (event.type === 'state') {
    try {
      return { kind: 'state', runtime: parseRuntime(JSON.parse(event.data)) };
    } catch {
      return { kind: 'state', runtime: null };
    }
  }
  return { kind: 'ignored' };
}
