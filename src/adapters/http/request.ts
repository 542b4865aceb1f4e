import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

/**
 * One HTTP exchange over node:http/https (not fetch), so that the transport failures of
 * `runtime-api.md`'s table can be told apart: nothing written yet (`unreachable`), the connection
 * broken once the request was on the wire or the answer cut short (`post_send`), no answer in time
 * (`timeout`, and whether the whole body had gone out).
 */

export interface HttpAnswer {
  status: number;
  statusText: string;
  body: string;
  /** The answer's Date header, for clock-skew checks. */
  date: string | null;
}

export type TransportFaultKind = 'unreachable' | 'post_send' | 'timeout';

/** A failure below HTTP: the request got no complete answer. Messages never carry headers. */
export class TransportFault extends Error {
  readonly kind: TransportFaultKind;
  /** The whole request, body included, had been handed to the OS. */
  readonly bodySent: boolean;
  constructor(kind: TransportFaultKind, message: string, bodySent: boolean) {
    super(message);
    this.name = 'TransportFault';
    this.kind = kind;
    this.bodySent = bodySent;
  }
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Deadline to establish the connection (TLS included), from the start. */
  connectMs: number;
  /** Deadline for the answer's status line and headers, from the start. */
  headersMs: number;
  /** Deadline for the whole exchange, answer body included, from the start. */
  totalMs: number;
  /** Larger answers are refused (a broken or hostile host must not fill memory). */
  maxAnswerBytes?: number;
}

const DEFAULT_MAX_ANSWER_BYTES = 8 * 1024 * 1024;

const CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EAI_FAIL: 'host name lookup failed',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host is down',
  ECONNRESET: 'connection reset before the request was sent',
  ETIMEDOUT: 'connection timed out',
};

function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

export function request(options: RequestOptions): Promise<HttpAnswer> {
  const { url } = options;
  const maxBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const where = url.host;
  const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['Content-Length'] = String(body.length);

  return new Promise<HttpAnswer>((resolve, reject) => {
    const started = Date.now();
    let connected = false;
    let bodySent = false;
    let answered = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const module = url.protocol === 'https:' ? https : http;
    const req = module.request(url, {
      method: options.method,
      headers,
      // A fresh connection per call: a stale pooled socket would make a reset look like post_send.
      agent: false,
    });

    const settle = (outcome: { answer: HttpAnswer } | { fault: TransportFault }): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if ('answer' in outcome) resolve(outcome.answer);
      else {
        req.destroy();
        reject(outcome.fault);
      }
    };

    // One timer, re-armed per phase: connect, then headers, then the whole answer.
    const arm = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      const elapsed = Date.now() - started;
      let limit: number;
      let fault: () => TransportFault;
      if (!connected) {
        limit = Math.min(options.connectMs, options.totalMs);
        fault = () =>
          new TransportFault('unreachable', `no connection to ${where} within ${limit} ms`, false);
      } else if (!answered) {
        limit = Math.min(options.headersMs, options.totalMs);
        fault = () => new TransportFault('timeout', `no answer within ${limit} ms`, bodySent);
      } else {
        limit = options.totalMs;
        fault = () =>
          new TransportFault('timeout', `answer not complete within ${limit} ms`, bodySent);
      }
      timer = setTimeout(() => settle({ fault: fault() }), Math.max(0, limit - elapsed));
    };

    const onConnected = (): void => {
      connected = true;
      arm();
    };

    req.on('socket', (socket: Socket) => {
      const secure = url.protocol === 'https:';
      if (!socket.connecting && !secure) onConnected();
      else socket.once(secure ? 'secureConnect' : 'connect', onConnected);
    });

    let received = 0;
    let expected: string | undefined;
    const cutOff = (): TransportFault => {
      const of = expected === undefined ? '' : ` of ${expected}`;
      return new TransportFault('post_send', `answer cut off after ${received}${of} bytes`, true);
    };

    req.on('error', (error: Error) => {
      if (answered) {
        settle({ fault: cutOff() });
        return;
      }
      if (!connected) {
        const code = errorCode(error);
        const words = (code !== null && CONNECT_CODES[code]) || 'connection failed';
        settle({
          fault: new TransportFault('unreachable', `${words} (${where}${suffix(code)})`, false),
        });
        return;
      }
      settle({ fault: brokenAfterSend(error) });
    });

    req.on('response', (res: http.IncomingMessage) => {
      answered = true;
      arm();
      expected = res.headers['content-length'];
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          settle({
            fault: new TransportFault('post_send', `answer larger than ${maxBytes} bytes`, true),
          });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (!res.complete) return;
        settle({
          answer: {
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            date: typeof res.headers.date === 'string' ? res.headers.date : null,
            body: Buffer.concat(chunks).toString('utf8'),
          },
        });
      });
      // Reset, hang-up or a cut chunked stream once the answer had begun.
      res.on('error', () => settle({ fault: cutOff() }));
      res.on('close', () => {
        if (!res.complete) settle({ fault: cutOff() });
      });
    });

    arm();
    req.end(body, () => {
      bodySent = true;
    });
  });

  function brokenAfterSend(error: Error): TransportFault {
    const code = errorCode(error);
    const words =
      code === 'ECONNRESET' && error.message === 'socket hang up'
        ? 'connection closed after the request was sent'
        : code === 'ECONNRESET'
          ? 'connection reset after the request was sent'
          : 'connection broken after the request was sent';
    return new TransportFault('post_send', `${words} (${where}${suffix(code)})`, true);
  }
}

function suffix(code: string | null): string {
  return code === null ? '' : `, ${code}`;
}
