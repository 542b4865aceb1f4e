import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import type { TmuxClient } from '../adapters/tmux/tmux-client.js';
import { AppFailure, type Profile, type RuntimeDriver } from '../domain/index.js';
import { accessLine, type LineWriter, stderrWriter } from './access-log.js';
import { HttpError, pathSegments, readJson, sendJson } from './http-io.js';
import { type Answer, IdempotencyStore } from './idempotency.js';
import { OutputStreams } from './output-stream.js';
import { type RouteDeps, route, scopeFor } from './routes.js';
import { SerialByKey } from './serial.js';
import { type Caller, TokenSet } from './tokens.js';

export interface HostServerOptions {
  host: string;
  port: number;
  /** Without one, only a loopback address may be served, and then without authentication. */
  tokensFile?: string | undefined;
  driver: RuntimeDriver;
  profiles: Record<string, Profile>;
  /** The host's own SQLite file for idempotency keys (`host.db` in the state folder). */
  idempotencyFile: string;
  version: string;
  tmuxVersion: () => Promise<string>;
  sendTimeoutMs?: number;
  /** The tmux server the driver runs on: given, the host serves runtimes' output streams. */
  tmux?: TmuxClient | undefined;
  /** Where the access log goes, one JSON line per request (default stderr). */
  log?: LineWriter;
}

export interface HostServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Whether callers must present a token. */
  readonly authenticated: boolean;
  /** Stops accepting, lets the requests in flight finish, then closes everything. */
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare.startsWith('::ffff:127.');
}

/** `HOST:PORT` or `[V6]:PORT`. */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (!match || port > 65_535) {
    throw new AppFailure({
      kind: 'usage',
      message: `--listen ${JSON.stringify(listen)}: expected HOST:PORT, e.g. 127.0.0.1:7420`,
    });
  }
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port };
}

const ANONYMOUS: Caller = { name: 'anonymous', scopes: new Set(['read', 'send']) };

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const tokens = options.tokensFile !== undefined ? TokenSet.load(options.tokensFile) : null;
  if (tokens === null && !isLoopback(options.host)) {
    throw new AppFailure({
      kind: 'usage',
      message: `refusing to serve ${options.host} without tokens: only a loopback address may go without`,
      hint: 'give --tokens-file F (lines `read,send TOKEN [name]`, mode 0600), or listen on 127.0.0.1',
    });
  }
  const log = options.log ?? stderrWriter;
  const idempotency = new IdempotencyStore(options.idempotencyFile);
  let tmuxText: Promise<string> | null = null;
  const output = options.tmux ? new OutputStreams(options.tmux, options.driver) : undefined;
  const deps: RouteDeps = {
    driver: options.driver,
    profiles: options.profiles,
    idempotency,
    version: options.version,
    tmuxVersion: () => {
      tmuxText ??= options.tmuxVersion().catch((error: unknown) => {
        tmuxText = null;
        throw error;
      });
      return tmuxText;
    },
    sendTimeoutMs: options.sendTimeoutMs ?? 15_000,
    sends: new SerialByKey(),
    output,
  };
  let closing = false;
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    let caller: Caller | null = null;
    let answer: Answer;
    try {
      if (closing) throw new HttpError(503, 'shutting_down', 'the host is shutting down');
      const segments = pathSegments(req.url ?? '/');
      if (segments[0] !== 'v1') throw new HttpError(404, 'not_found', 'the API is under /v1');
      caller = tokens === null ? ANONYMOUS : tokens.authenticate(req.headers.authorization);
      if (caller === null) {
        throw new HttpError(
          401,
          'unauthenticated',
          'a valid `Authorization: Bearer` token is needed',
        );
      }
      const scope = scopeFor(method);
      if (!caller.scopes.has(scope)) {
        throw new HttpError(403, 'forbidden', `this token lacks the "${scope}" scope`);
      }
      const tooLarge = segments[3] === 'send' ? 'text_too_large' : 'invalid_request';
      answer = await route(deps, {
        method,
        segments: segments.slice(1),
        body: () => readJson(req, tooLarge),
        http: { req, res },
      });
    } catch (error) {
      if (error instanceof HttpError) {
        answer = { status: error.status, body: error.body };
      } else {
        const message = error instanceof Error ? error.message : String(error);
        answer = { status: 500, body: { error: { code: 'internal', message } } };
      }
    }
    // A streamed answer (the output stream) has sent its headers already.
    if (!res.headersSent) {
      if (closing) res.setHeader('connection', 'close');
      // An unread body (a refused request) must not be taken for the next request.
      if (!req.complete) res.setHeader('connection', 'close');
      sendJson(res, answer.status, answer.body);
    }
    res.once('close', () => {
      log(
        accessLine({
          time: new Date().toISOString(),
          method,
          path,
          status: answer.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          token: caller?.name ?? null,
        }),
      );
    });
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'internal', message: String(error) } });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    idempotency.close();
    throw new AppFailure({
      kind: 'usage',
      message: `cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`,
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      output?.closeAll();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
        });
      }
      server.closeAllConnections();
      await stopped;
      idempotency.close();
    })();
    return closed;
  };

  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    authenticated: tokens !== null,
    close,
  };
}
