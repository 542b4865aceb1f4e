import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type {
  LiveSource,
  OutputListener,
  ScreenWatch,
  ScreenWatchListener,
} from '../../domain/live.js';
import type { SendError } from '../../domain/send-error.js';
import { classifyStatus, classifyTransport, cleanMessage, endReason } from './classify.js';
import { EventStreamParser, readOutputEvent } from './event-stream.js';
import { framedOutput } from './framed-output.js';
import {
  HttpDriverError,
  HttpRuntimeDriver,
  type HttpRuntimeDriverOptions,
} from './http-driver.js';
import { TransportFault } from './request.js';
import { HttpScreenWatch } from './screen-watch.js';

export { endReason };

/**
 * The live side of one runtime host (`runtime-api.md`, version 1): `GET …/output` as an event
 * stream for the raw output, and the screen as `GET …/screen` reads that the stream paces.
 *
 * A stream that ends while its runtime has not exited is reopened: the host is asked for its
 * health first, and only a host that answers gets another try (after a backoff that doubles), so a
 * host that is down ends the listener at once with `unreachable`. Refusals (401/403, 404, 4xx) end
 * it at once too. The reason given to `ended` starts with the failure kind of the contract's table
 * and the status when there was one (`auth 401: …`, `not_found 404: …`, `unreachable: …`), or is
 * `exited` when the runtime ended. The token is sent as a header only; no message carries it.
 */

export interface HttpLiveSourceOptions extends HttpRuntimeDriverOptions {
  /** Reopenings in a row of a stream that ends while its host answers, before `ended` (4). */
  reconnectAttempts?: number;
  /** The first pause before a reopening; doubled each time, up to 5 s (250 ms). */
  reconnectDelayMs?: number;
  /** Least time between the starts of two screen reads (80 ms). */
  screenIntervalMs?: number;
}

/** What one stream tells its owner; `opened` lets the screen watch reread after a reopening. */
export interface StreamSink extends OutputListener {
  opened?(reopened: boolean): void;
}

/** How one exchange ended: a reason for `ended`, and whether another try may help. */
interface Outcome {
  reason: string;
  retry: boolean;
}

const MAX_ID_LENGTH = 256;
const MAX_ERROR_BODY = 64 * 1024;
const MAX_RECONNECT_DELAY_MS = 5_000;
/** A stream that stayed open this long was healthy: its failure starts the count afresh. */
const STABLE_MS = 5_000;

export class HttpLiveSource implements LiveSource {
  readonly host: string;
  private readonly driver: HttpRuntimeDriver;
  private readonly base: URL;
  /** The base URL's path without its trailing slash: '' or '/prefix'. */
  private readonly basePath: string;
  private readonly token: string | null;
  private readonly connectMs: number;
  private readonly headersMs: number;
  private readonly attempts: number;
  private readonly delayMs: number;
  private readonly screenIntervalMs: number;

  constructor(options: HttpLiveSourceOptions) {
    // The driver checks the base URL and the token, and reads the screen and the health.
    this.driver = new HttpRuntimeDriver(options);
    this.host = options.host;
    this.base = new URL(options.baseUrl);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    this.base.search = '';
    this.base.hash = '';
    this.token = options.token;
    this.connectMs = positive(options.connectTimeoutMs, 3_000);
    this.headersMs = positive(options.requestTimeoutMs, 10_000);
    this.attempts = Math.max(0, Math.floor(options.reconnectAttempts ?? 4));
    this.delayMs = positive(options.reconnectDelayMs, 250);
    this.screenIntervalMs = positive(options.screenIntervalMs, 80);
  }

  /**
   * Streams the runtime's output; the function returned aborts the request (no `ended` then).
   * A listener that wants the screen at the start or the size changes gets them from screen reads.
   */
  output(id: string, listener: OutputListener): () => void {
    if (!listener.start && !listener.resize) return this.follow(id, listener);
    return framedOutput(
      () => this.driver.screen(id),
      (sink) => this.follow(id, sink),
      listener,
    );
  }

  watchScreen(id: string, listener: ScreenWatchListener): ScreenWatch {
    return new HttpScreenWatch(
      () => this.driver.screen(id),
      (sink) => this.follow(id, sink),
      listener,
      this.screenIntervalMs,
    );
  }

  /** One logical stream: exchanges reopened after unexpected ends, until `ended` or abort. */
  private follow(id: string, sink: StreamSink): () => void {
    let stopped = false;
    let abort: (() => void) | null = null;
    let timer: NodeJS.Timeout | undefined;
    let failures = 0;
    let opens = 0;
    const finish = (reason: string): void => {
      if (stopped) return;
      stopped = true;
      sink.ended(reason);
    };
    const attempt = (): void => {
      timer = undefined;
      if (stopped) return;
      let openedAt: number | null = null;
      abort = this.exchange(id, {
        opened: () => {
          openedAt = performance.now();
          sink.opened?.(opens++ > 0);
        },
        data: (bytes) => sink.data(bytes),
        dropped: (bytes) => sink.dropped?.(bytes),
        done: (outcome) => {
          abort = null;
          if (stopped) return;
          if (!outcome.retry) return finish(outcome.reason);
          if (openedAt !== null && performance.now() - openedAt >= STABLE_MS) failures = 0;
          failures += 1;
          if (failures > this.attempts) return finish(outcome.reason);
          // Only a host that answers is worth another try; one that does not ends it now.
          this.driver.health().then(
            () => {
              if (stopped) return;
              const pause = Math.min(this.delayMs * 2 ** (failures - 1), MAX_RECONNECT_DELAY_MS);
              timer = setTimeout(attempt, pause);
            },
            (error: unknown) =>
              finish(error instanceof HttpDriverError ? endReason(error.error) : outcome.reason),
          );
        },
      });
    };
    // Asynchronous even for a bad id, so `ended` never runs before the caller has the unsubscribe.
    queueMicrotask(attempt);
    return () => {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      abort?.();
    };
  }

  /** One `GET …/output` exchange; returns its abort. Exactly one `done`, unless aborted. */
  private exchange(
    id: string,
    on: {
      opened(): void;
      data(bytes: Buffer): void;
      dropped(bytes: number): void;
      done(outcome: Outcome): void;
    },
  ): () => void {
    const secrets = this.token === null ? [] : [this.token];
    const fail = (error: SendError, retry: boolean): Outcome => ({
      reason: endReason(error),
      retry,
    });
    const fault = (kind: TransportFault['kind'], message: string): Outcome =>
      fail(classifyTransport(this.host, new TransportFault(kind, message, true), secrets), true);
    if (!validId(id)) {
      const shown = cleanMessage(String(id), secrets).slice(0, 60);
      const message = `runtime id "${shown}" is not a valid path segment`;
      on.done(fail({ kind: 'invalid', host: this.host, status: null, message }, false));
      return () => {};
    }

    const url = new URL(this.base.href);
    url.pathname = `${this.basePath}/v1/runtimes/${encodeURIComponent(id)}/output`;
    const headers: Record<string, string> = {
      Accept: 'text/event-stream',
      'Cache-Control': 'no-cache',
      'User-Agent': 'control-room',
    };
    if (this.token !== null) headers.Authorization = `Bearer ${this.token}`;

    let settled = false;
    let connected = false;
    let exited = false;
    const where = url.host;
    const req = (url.protocol === 'https:' ? https : http).request(url, { headers, agent: false });
    const settle = (outcome: Outcome): void => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      req.destroy();
      on.done(outcome);
    };
    let timer = setTimeout(
      () => settle(fault('unreachable', `no connection to ${where} within ${this.connectMs} ms`)),
      this.connectMs,
    );
    const onConnect = (): void => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(
        () => settle(fault('timeout', `no answer within ${this.headersMs} ms`)),
        this.headersMs,
      );
    };
    req.on('socket', (socket: Socket) => {
      // A dead peer is found by TCP keepalive: the contract promises no heartbeat to time out on.
      socket.setKeepAlive(true, 15_000);
      const secure = url.protocol === 'https:';
      if (!socket.connecting && !secure) onConnect();
      else socket.once(secure ? 'secureConnect' : 'connect', onConnect);
    });
    req.on('error', (error: Error) => {
      const code = (error as { code?: unknown }).code;
      const detail = `${where}${typeof code === 'string' ? `, ${code}` : ''}`;
      settle(
        connected
          ? fault('post_send', `the stream broke (${detail})`)
          : fault('unreachable', `connection failed (${detail})`),
      );
    });
    req.on('response', (res: http.IncomingMessage) => {
      clearTimeout(timer);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        const chunks: Buffer[] = [];
        let size = 0;
        const refuse = (): void => {
          const body = Buffer.concat(chunks).toString('utf8');
          const { error } = classifyStatus(
            this.host,
            status,
            res.statusMessage ?? '',
            body,
            secrets,
          );
          settle(fail(error, error.kind === 'server'));
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // Enough to classify by; a host that sends more is not read any further.
          if (size > MAX_ERROR_BODY) refuse();
        });
        res.on('end', refuse);
        res.on('close', refuse);
        return;
      }
      const type = String(res.headers['content-type'] ?? '');
      if (!/^text\/event-stream\b/i.test(type)) {
        const message = 'the answer is not an event stream';
        settle(fail({ kind: 'server', host: this.host, status, message }, false));
        return;
      }
      on.opened();
      const parser = new EventStreamParser();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (settled) return;
        let events: ReturnType<EventStreamParser['push']>;
        try {
          events = parser.push(chunk);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          settle(fail({ kind: 'server', host: this.host, status, message }, false));
          return;
        }
        for (const event of events) {
          if (settled) return;
          const read = readOutputEvent(event);
          if (read.kind === 'output') on.data(read.bytes);
          else if (read.kind === 'dropped') on.dropped(read.bytes);
          else if (read.kind === 'state') exited = read.runtime?.state === 'exited';
        }
      });
      res.on('end', () => {
        if (exited) settle({ reason: 'exited', retry: false });
        else settle(fault('post_send', 'the host closed the stream'));
      });
      res.on('close', () => {
        if (!res.complete) settle(fault('post_send', `the stream broke (${where})`));
      });
    });
    req.end();
    return () => {
      settled = true;
      clearTimeout(timer);
      req.destroy();
    };
  }
}

/** One path segment that cannot escape `/v1/runtimes/` (as the driver checks its own calls). */
function validId(id: string): boolean {
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= MAX_ID_LENGTH &&
    id !== '.' &&
    !id.includes('/') &&
    !id.includes('\\') &&
    !id.includes('..') &&
    !/[\x00-\x1f\x7f]/.test(id)
  );
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
