import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import type { TmuxClient } from '../adapters/tmux/tmux-client.js';
import { AppFailure, formatAppError, type Profile, type RuntimeDriver } from '../domain/index.js';
import { accessLine, type LineWriter, refusedLine, stderrWriter } from './access-log.js';
import { DEFAULT_MAX_CONNECTIONS, gateConnections } from './connection-gate.js';
import { answerClientErrors, HttpError, pathSegments, readJson, sendJson } from './http-io.js';
import { type Answer, IdempotencyStore } from './idempotency.js';
import { OutputStreams } from './output-stream.js';
import { type RouteDeps, route, scopeFor } from './routes.js';
import { SerialByKey } from './serial.js';
import { type Authentication, type Caller, TokenSet } from './tokens.js';

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
  /** Connections served at once (default 256); see `gateConnections` for what happens past it. */
  maxConnections?: number;
  /** The time a client has to send a whole request, headers and body (default 60 s). */
  requestTimeoutMs?: number;
}

/** What reading the tokens file again came to: the old tokens stay unless it succeeded. */
export type TokensReload =
  | { ok: true; tokens: number; expired: number }
  | { ok: false; message: string };

export interface HostServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Whether callers must present a token. */
  readonly authenticated: boolean;
  /** Reads the tokens file again (SIGHUP); a bad file keeps the tokens in use. */
  reloadTokens(): TokensReload;
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
const ANONYMOUS_AUTH: Authentication = { ok: true, caller: ANONYMOUS };
/** Headers must be in within this (or the whole request's limit, when shorter). */
const HEADERS_TIMEOUT_MS = 10_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * How often Node looks for requests past their deadline: a slow request is cut within its limit
 * plus this (Node's default, 30 s, let a 60 s limit run to 90 s).
 */
const TIMEOUT_CHECK_MS = 1_000;

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const tokensFile = options.tokensFile;
  let tokens = tokensFile !== undefined ? TokenSet.load(tokensFile) : null;
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
    let tokenName: string | null = null;
    let answer: Answer;
    try {
      if (closing) throw new HttpError(503, 'shutting_down', 'the host is shutting down');
      const segments = pathSegments(req.url ?? '/');
      if (segments[0] !== 'v1') throw new HttpError(404, 'not_found', 'the API is under /v1');
      const auth =
        tokens === null ? ANONYMOUS_AUTH : tokens.authenticate(req.headers.authorization);
      if (!auth.ok) {
        if (auth.reason === 'expired') {
          tokenName = auth.name;
          throw new HttpError(
            401,
            'token_expired',
            `this token expired at ${auth.expiredAt.toISOString()}; ask the host's operator for a new one`,
          );
        }
        throw new HttpError(
          401,
          'unauthenticated',
          'a valid `Authorization: Bearer` token is needed',
        );
      }
      const caller = auth.caller;
      tokenName = caller.name;
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
    const logLine = () =>
      log(
        accessLine({
          time: new Date().toISOString(),
          method,
          path,
          status: answer.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          token: tokenName,
        }),
      );
    // A request cut off (its deadline passed, or the client left) is closed before its answer.
    if (res.closed) logLine();
    else res.once('close', logLine);
  };

  const requestTimeout = options.requestTimeoutMs ?? 60_000;
  const server = createServer(
    {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
      requestTimeout,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    },
    (req, res) => {
      inFlight += 1;
      res.once('close', () => {
        inFlight -= 1;
        if (inFlight === 0) drained?.();
      });
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { error: { code: 'internal', message: String(error) } });
      });
    },
  );
  answerClientErrors(server);
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const gate = gateConnections(server, maxConnections, (count) =>
    log(refusedLine(count, maxConnections)),
  );

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
      gate.stop();
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
    reloadTokens() {
      if (tokensFile === undefined || tokens === null) {
        return {
          ok: false,
          message: 'no --tokens-file to read again: this host serves without tokens',
        };
      }
      try {
        tokens = TokenSet.load(tokensFile);
      } catch (error) {
        if (!(error instanceof AppFailure)) throw error;
        return { ok: false, message: formatAppError(error.error) };
      }
      return { ok: true, tokens: tokens.size, expired: tokens.expired() };
    },
    close,
  };
}
