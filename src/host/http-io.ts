import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** A request body is at most this: a 256 KiB text, every byte escaped, still fits. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this the connection is dropped instead of drained. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/** An answer other than 2xx: `{"error":{"code","message", ...extra}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get body(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    })
    .end(text);
}

function cutOff(): HttpError {
  return new HttpError(408, 'request_timeout', 'the connection closed before the body was whole');
}

/**
 * A whole answer as bytes for a connection no `ServerResponse` speaks for (refused at once, or
 * past its deadline): JSON like every other, and the connection closed after it.
 */
export function rawAnswer(
  status: number,
  reason: string,
  error: { code: string; message: string },
  headers: string[] = [],
): string {
  const text = JSON.stringify({ error });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(text)}`,
    'cache-control: no-store',
    ...headers,
    'connection: close',
    '',
    text,
  ].join('\r\n');
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the request did not arrive whole in time'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'the headers are too large'],
};

/**
 * What Node answers by itself (a request past its deadline, malformed HTTP) gets the API's JSON
 * error body too, unless an answer has begun on that connection.
 */
export function answerClientErrors(server: Server): void {
  const responses = new WeakMap<Duplex, ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    responses.set(req.socket, res);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (socket.writable && error.code !== 'ECONNRESET' && !responses.get(socket)?.headersSent) {
      const [status, reason, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
        400,
        'Bad Request',
        'not an HTTP/1.1 request',
      ];
      const code = status === 408 ? 'request_timeout' : 'invalid_request';
      socket.write(rawAnswer(status, reason, { code, message }));
    }
    socket.destroy();
  });
}

/**
 * The body parsed as JSON. Over the limit: drained (so the client reads the answer) and 413;
 * far over it, the connection is dropped. Not JSON: 400.
 */
export function readJson(req: IncomingMessage, tooLargeCode: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (action: () => void) => {
      if (done) return;
      done = true;
      action();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        req.destroy();
        finish(() => reject(new HttpError(413, tooLargeCode, 'the body is far too large')));
        return;
      }
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    // A connection cut before the body was whole (its deadline passed, or the client left):
    // `error` (aborted) or only `close`, never `end`; either settles the request.
    req.on('error', () => finish(() => reject(cutOff())));
    req.on('close', () => {
      if (!req.complete) finish(() => reject(cutOff()));
    });
    req.on('end', () =>
      finish(() => {
        if (size > MAX_BODY_BYTES) {
          reject(
            new HttpError(
              413,
              tooLargeCode,
              `the body is ${size} bytes; at most ${MAX_BODY_BYTES}`,
            ),
          );
          return;
        }
        const text = Buffer.concat(chunks).toString('utf8');
        if (text.trim() === '') {
          reject(new HttpError(400, 'invalid_request', 'body: expected a JSON object'));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new HttpError(400, 'invalid_request', 'body: not valid JSON'));
        }
      }),
    );
  });
}

/**
 * The path's segments, each decoded, from the raw request target (never normalised, so
 * `/v1/runtimes/../health` stays what it is). A segment that decodes to `.`, `..` or holds a
 * `/`, `\` or NUL is refused before any route sees it.
 */
export function pathSegments(rawUrl: string): string[] {
  const path = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/')) throw new HttpError(400, 'invalid_request', 'path: not absolute');
  const segments = path.slice(1).split('/');
  return segments.map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new HttpError(400, 'invalid_request', 'path: bad percent-encoding');
    }
    if (decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) {
      throw new HttpError(
        400,
        'invalid_request',
        'path: "." , ".." and "/" are not allowed in a segment',
      );
    }
    return decoded;
  });
}
