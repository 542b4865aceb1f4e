import type {
  InputAction,
  InputOutcome,
  RuntimeDriver,
  RuntimeSpec,
  Screen,
  SendOptions,
  SendReceipt,
} from '../../domain/driver.js';
import type { Runtime } from '../../domain/runtime.js';
import { sanitizeLine } from '../../domain/sanitize.js';
import { type SendError, SendFailure } from '../../domain/send-error.js';
import { classifyStatus, classifyTransport, cleanMessage } from './classify.js';
import {
  parseInputOutcome,
  parseReceipt,
  parseRuntime,
  parseRuntimeList,
  parseScreen,
} from './parse.js';
import { request, TransportFault } from './request.js';

/**
 * The RuntimeDriver of one runtime host over HTTP (`runtime-api.md`, version 1).
 *
 * Every call, not only `send`, rejects with an HttpDriverError: a SendFailure (so
 * `instanceof SendFailure` holds) whose `error` is a kind of the contract's failure table, plus the
 * server's error `code` and, for `busy`, the runtime the 409 body carried. `send` is one attempt;
 * sendWithRetry (services/dispatch/retry.ts) retries the unknown outcomes with the same idempotency key.
 *
 * Deadlines, each measured from the start of the call: connectTimeoutMs to connect (a miss is
 * `unreachable`: nothing was written); then the call's deadline (sendTimeoutMs or the send's own
 * timeoutMs for `send`, requestTimeoutMs for the rest) for the headers and the whole answer (a miss
 * is `timeout`, with bodySent telling whether the request had fully gone out).
 */

export interface HttpRuntimeDriverOptions {
  /** The host's name, as the control room shows it. */
  host: string;
  /** http(s)://address[:port][/prefix]; the calls are under `<baseUrl>/v1`. */
  baseUrl: string;
  /** Bearer token; null sends no Authorization header (the host then answers 401). */
  token: string | null;
  sendTimeoutMs?: number;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export class HttpDriverError extends SendFailure {
  /** The error body's `code` (`runtime_busy`, `unauthenticated`, ...) when it was JSON. */
  readonly code: string | null;
  constructor(error: SendError, code: string | null = null, runtime: Runtime | null = null) {
    super(error, runtime);
    this.name = 'HttpDriverError';
    this.code = code;
  }
}

const MAX_ID_LENGTH = 256;
const MAX_KEY_LENGTH = 128;

type Method = 'GET' | 'POST' | 'DELETE';

export class HttpRuntimeDriver implements RuntimeDriver {
  readonly host: string;
  private readonly base: URL;
  /** The base URL's path without its trailing slash: '' or '/prefix'. */
  private readonly basePath: string;
  private readonly token: string | null;
  private readonly sendTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;

  constructor(options: HttpRuntimeDriverOptions) {
    this.host = options.host;
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new Error(`host ${options.host}: base URL is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new Error(`host ${options.host}: base URL must be http or https`);
    }
    if (base.username !== '' || base.password !== '') {
      throw new Error(`host ${options.host}: base URL must not carry credentials; use a token`);
    }
    this.basePath = base.pathname.replace(/\/+$/, '');
    base.search = '';
    base.hash = '';
    this.base = base;
    // A token with a control character or a space would break or split the header; say so
    // without ever quoting it.
    if (options.token !== null && !/^[\x21-\x7e]+$/.test(options.token)) {
      throw new Error(`host ${options.host}: token has characters a header cannot carry`);
    }
    this.token = options.token;
    this.sendTimeoutMs = positive(options.sendTimeoutMs, 15_000);
    this.connectTimeoutMs = positive(options.connectTimeoutMs, 3_000);
    this.requestTimeoutMs = positive(options.requestTimeoutMs, 10_000);
  }

  /** `GET /v1/health`, and the host's clock as its answer's Date header gives it. */
  async health(): Promise<{ version: string; tmux: string; date: string | null }> {
    const value = await this.call('GET', '/v1/health', undefined, this.requestTimeoutMs);
    const json = value.json as { ok?: unknown; version?: unknown; tmux?: unknown } | undefined;
    if (json?.ok !== true) {
      this.fail({
        kind: 'server',
        host: this.host,
        status: value.status,
        message: 'the host says it is not ok',
      });
    }
    return {
      version: String(json.version ?? '?'),
      tmux: String(json.tmux ?? '?'),
      date: value.date,
    };
  }

  /**
   * Whether the token may send, without sending anything: a send to an id that cannot exist,
   * with an empty body. 403 means read only; any other refusal means the scope check passed.
   */
  async canSend(): Promise<boolean> {
    try {
      await this.call('POST', '/v1/runtimes/rt_0_0/send', {}, this.requestTimeoutMs, false);
      return true;
    } catch (error) {
      if (
        error instanceof HttpDriverError &&
        error.error.kind === 'auth' &&
        error.error.status === 403
      )
        return false;
      if (
        error instanceof HttpDriverError &&
        (error.error.kind === 'invalid' || error.error.kind === 'not_found')
      )
        return true;
      throw error;
    }
  }

  async list(): Promise<Runtime[]> {
    const value = await this.call('GET', '/v1/runtimes', undefined, this.requestTimeoutMs);
    return this.shaped(parseRuntimeList(value.json), value.status);
  }

  async create(spec: RuntimeSpec): Promise<Runtime> {
    const body: Record<string, unknown> = { profile: spec.profile };
    if (spec.name !== undefined) body.name = spec.name;
    if (spec.cwd !== undefined) body.cwd = spec.cwd;
    if (spec.worktree !== undefined) body.worktree = spec.worktree;
    if (spec.ticket !== undefined) body.ticket = spec.ticket;
    const value = await this.call('POST', '/v1/runtimes', body, this.requestTimeoutMs);
    return this.shaped(parseRuntime(value.json), value.status);
  }

  async send(id: string, text: string, options: SendOptions): Promise<SendReceipt> {
    const path = `${this.runtimePath(id)}/send`;
    const key = options.idempotencyKey;
    if (typeof key !== 'string' || key.length < 1 || key.length > MAX_KEY_LENGTH) {
      this.fail({
        kind: 'invalid',
        host: this.host,
        status: null,
        message: `idempotency key must be 1 to ${MAX_KEY_LENGTH} characters`,
      });
    }
    const body: Record<string, unknown> = { text, submit: options.submit ?? true };
    if (options.ticket !== undefined) body.ticket = options.ticket;
    body.idempotencyKey = key;
    const deadline = positive(options.timeoutMs, this.sendTimeoutMs);
    const value = await this.call('POST', path, body, deadline);
    return this.shaped(parseReceipt(value.json), value.status);
  }

  /** `POST /v1/runtimes/{id}/input`: submit or clear text left in the agent's input line. */
  async input(id: string, action: InputAction): Promise<InputOutcome> {
    const path = `${this.runtimePath(id)}/input`;
    const body: Record<string, unknown> = { action: action.action };
    if (action.idempotencyKey !== undefined) body.idempotencyKey = action.idempotencyKey;
    const value = await this.call('POST', path, body, this.sendTimeoutMs);
    return this.shaped(parseInputOutcome(value.json), value.status);
  }

  async screen(id: string): Promise<Screen> {
    const path = `${this.runtimePath(id)}/screen`;
    const value = await this.call('GET', path, undefined, this.requestTimeoutMs);
    return this.shaped(parseScreen(value.json), value.status);
  }

  async close(id: string): Promise<void> {
    await this.call('DELETE', this.runtimePath(id), undefined, this.requestTimeoutMs, false);
  }

  /** `/v1/runtimes/{id}`, the id one encoded path segment; anything that could escape it is refused. */
  private runtimePath(id: string): string {
    if (
      typeof id !== 'string' ||
      id.length === 0 ||
      id.length > MAX_ID_LENGTH ||
      id === '.' ||
      id.includes('/') ||
      id.includes('\\') ||
      id.includes('..') ||
      /[\x00-\x1f\x7f]/.test(id)
    ) {
      const shown = sanitizeLine(String(id)).slice(0, 60);
      this.fail({
        kind: 'invalid',
        host: this.host,
        status: null,
        message: `runtime id "${shown}" is not a valid path segment`,
      });
    }
    return `/v1/runtimes/${encodeURIComponent(id)}`;
  }

  private async call(
    method: Method,
    path: string,
    body: unknown,
    totalMs: number,
    wantJson = true,
  ): Promise<{ status: number; json: unknown; date: string | null }> {
    const url = new URL(this.base.href);
    url.pathname = `${this.basePath}${path}`;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'control-room',
    };
    if (this.token !== null) headers.Authorization = `Bearer ${this.token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';

    let answer: Awaited<ReturnType<typeof request>>;
    try {
      answer = await request({
        method,
        url,
        headers,
        body: payload,
        connectMs: this.connectTimeoutMs,
        headersMs: totalMs,
        totalMs,
      });
    } catch (error) {
      if (error instanceof TransportFault) {
        throw new HttpDriverError(classifyTransport(this.host, error, this.secrets()));
      }
      // A programming or header error from node:http; its words, never the token.
      const words = error instanceof Error ? error.message : String(error);
      this.fail({
        kind: 'unreachable',
        host: this.host,
        status: null,
        message: cleanMessage(`request not sent: ${words}`, this.secrets()),
      });
    }

    if (answer.status < 200 || answer.status > 299) {
      const classified = classifyStatus(
        this.host,
        answer.status,
        answer.statusText,
        answer.body,
        this.secrets(),
      );
      throw new HttpDriverError(classified.error, classified.code, classified.runtime);
    }
    if (!wantJson) return { status: answer.status, json: null, date: answer.date };
    try {
      return { status: answer.status, json: JSON.parse(answer.body) as unknown, date: answer.date };
    } catch {
      return { status: answer.status, json: undefined, date: answer.date };
    }
  }

  /** A 2xx answer without the contract's shape: the host is broken (`server`). */
  private shaped<T>(value: T | null, status: number): T {
    if (value === null) {
      this.fail({
        kind: 'server',
        host: this.host,
        status,
        message: 'the answer does not have the shape runtime-api.md describes',
      });
    }
    return value;
  }

  private secrets(): string[] {
    return this.token === null ? [] : [this.token];
  }

  private fail(error: SendError): never {
    throw new HttpDriverError(error);
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
