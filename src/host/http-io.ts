import type { IncomingMessage, ServerResponse } from 'node:http';

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
    req.on('error', (error) => finish(() => reject(error)));
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
