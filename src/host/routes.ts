import { existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TmuxError } from '../adapters/tmux/tmux-client.js';
import {
  type Profile,
  ProgramNotInstalled,
  type Runtime,
  type RuntimeDriver,
  type SendError,
  SendFailure,
  sanitizeLine,
} from '../domain/index.js';
import { HttpError } from './http-io.js';
import type { Answer, IdempotencyStore } from './idempotency.js';
import { inputCall } from './input-route.js';
import type { OutputStreams } from './output-stream.js';
import type { SerialByKey } from './serial.js';
import { CreateBody, checkRuntimeId, checkSendText, parseBody, SendBody } from './validation.js';

export interface RouteDeps {
  driver: RuntimeDriver;
  profiles: Record<string, Profile>;
  idempotency: IdempotencyStore;
  version: string;
  tmuxVersion: () => Promise<string>;
  sendTimeoutMs: number;
  /**
   * Sends to one runtime, one at a time: the next finds the agent working (409) rather than
   * racing it. The driver's lease does the same across processes.
   */
  sends: SerialByKey;
  /** The output streams; without them the output call answers 501. */
  output?: OutputStreams | undefined;
}

/** A request as the routes see it: the method, the decoded path segments after `/v1`, a body. */
export interface RouteRequest {
  method: string;
  segments: string[];
  body: () => Promise<unknown>;
  /** The exchange itself, for a call that streams its answer (the output stream). */
  http?: { req: IncomingMessage; res: ServerResponse } | undefined;
}

/** Which scope a call needs: `read` for GET, `send` for everything else. */
export function scopeFor(method: string): 'read' | 'send' {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'send';
}

export async function route(deps: RouteDeps, req: RouteRequest): Promise<Answer> {
  const { method, segments } = req;
  const [first, id, action, ...rest] = segments;
  if (first === 'health' && segments.length === 1) {
    allow(method, ['GET']);
    const tmux = await deps.tmuxVersion().catch(() => 'unavailable');
    return { status: 200, body: { ok: true, version: deps.version, tmux } };
  }
  if (first !== 'runtimes' || rest.length > 0) throw notFound();
  if (id === undefined || (id === '' && segments.length === 2)) {
    allow(method, ['GET', 'POST']);
    if (method === 'GET')
      return { status: 200, body: { runtimes: await tmuxCall(deps.driver.list()) } };
    return create(deps, parseBody(CreateBody, await req.body()));
  }
  const runtimeId = checkRuntimeId(id);
  if (action === undefined) {
    allow(method, ['GET', 'DELETE']);
    if (method === 'GET') return { status: 200, body: await find(deps, runtimeId) };
    await tmuxCall(deps.driver.close(runtimeId), runtimeId);
    return { status: 204, body: null };
  }
  if (action === 'send') {
    allow(method, ['POST']);
    return send(deps, runtimeId, await req.body());
  }
  if (action === 'input') {
    allow(method, ['POST']);
    return inputCall(deps, runtimeId, await req.body(), (error) =>
      failedSend(deps, runtimeId, error.error),
    );
  }
  if (action === 'screen') {
    allow(method, ['GET']);
    return { status: 200, body: await tmuxCall(deps.driver.screen(runtimeId), runtimeId) };
  }
  if (action === 'output') {
    allow(method, ['GET']);
    // An unknown runtime is 404 on every route, this one too.
    const runtime = await find(deps, runtimeId);
    if (!deps.output || !req.http) {
      throw new HttpError(501, 'not_implemented', 'this host does not serve the output stream');
    }
    // Streamed: the headers are out once this resolves, and the server sends nothing more.
    await tmuxCall(deps.output.open(runtime, req.http.req, req.http.res), runtimeId);
    return { status: 200, body: null };
  }
  throw notFound();
}

function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'no such call; see runtime-api.md');
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`, {
      allowed: methods,
    });
  }
}

async function find(deps: RouteDeps, id: string): Promise<Runtime> {
  const runtime = (await tmuxCall(deps.driver.list())).find((r) => r.id === id);
  if (!runtime) throw new HttpError(404, 'runtime_not_found', `no runtime ${id}`);
  return runtime;
}

async function create(deps: RouteDeps, body: CreateBody): Promise<Answer> {
  if (!Object.hasOwn(deps.profiles, body.profile)) {
    throw new HttpError(422, 'unknown_profile', `unknown profile "${body.profile}"`, {
      known: Object.keys(deps.profiles),
    });
  }
  if (body.cwd !== undefined && body.worktree !== undefined) {
    throw new HttpError(400, 'invalid_request', 'cwd: give cwd or worktree, not both');
  }
  if (body.cwd !== undefined && !(existsSync(body.cwd) && statSync(body.cwd).isDirectory())) {
    throw new HttpError(400, 'invalid_request', 'cwd: not a folder on this host');
  }
  const runtime = await tmuxCall(
    deps.driver.create({
      profile: body.profile,
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.cwd !== undefined ? { cwd: body.cwd } : {}),
      ...(body.worktree !== undefined
        ? {
            worktree: {
              repo: body.worktree.repo,
              ...(body.worktree.branch !== undefined ? { branch: body.worktree.branch } : {}),
            },
          }
        : {}),
      ...(body.ticket !== undefined ? { ticket: body.ticket } : {}),
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof ProgramNotInstalled)) throw error;
    throw new HttpError(422, 'program_not_installed', sanitizeLine(error.message), {
      program: sanitizeLine(error.program),
    });
  });
  return { status: 201, body: runtime };
}

/**
 * Types the text once per idempotency key: a key seen before (within 24 h) answers what it
 * answered then. An answer is remembered, before it goes out, whenever text may have been typed.
 */
async function send(deps: RouteDeps, id: string, raw: unknown): Promise<Answer> {
  const body = parseBody(SendBody, raw);
  checkSendText(body.text);
  const key = body.idempotencyKey;
  return deps.idempotency.exclusive(key, async () => {
    const seen = deps.idempotency.get(key);
    if (seen) {
      if (seen.runtime !== id) {
        throw new HttpError(
          422,
          'idempotency_key_reused',
          `idempotencyKey: already used for runtime ${seen.runtime}`,
        );
      }
      return seen.answer;
    }
    return deps.sends.run(id, async () => {
      try {
        const receipt = await deps.driver.send(id, body.text, {
          idempotencyKey: key,
          submit: body.submit ?? true,
          ...(body.ticket !== undefined ? { ticket: body.ticket } : {}),
          timeoutMs: deps.sendTimeoutMs,
        });
        const answer: Answer = { status: 200, body: receipt };
        deps.idempotency.put(key, id, answer);
        return answer;
      } catch (error) {
        if (!(error instanceof SendFailure)) throw error;
        const failure = await failedSend(deps, id, error.error);
        if (mayHaveTyped(error.error)) deps.idempotency.put(key, id, failure);
        return failure;
      }
    });
  });
}

function mayHaveTyped(error: SendError): boolean {
  return error.kind === 'post_send' || (error.kind === 'timeout' && error.bodySent);
}

async function failedSend(deps: RouteDeps, id: string, error: SendError): Promise<Answer> {
  const message = sanitizeLine(error.message);
  const answer = (status: number, code: string, extra: Record<string, unknown> = {}): Answer => ({
    status,
    body: { error: { code, message, ...extra } },
  });
  switch (error.kind) {
    case 'busy':
    case 'input_not_empty': {
      const runtime = (await deps.driver.list().catch(() => [])).find((r) => r.id === id);
      if (!runtime) return answer(404, 'runtime_not_found');
      return answer(409, error.kind === 'busy' ? 'runtime_busy' : 'input_not_empty', { runtime });
    }
    case 'not_found':
      return answer(404, 'runtime_not_found');
    case 'invalid':
      return answer(400, 'invalid_request');
    case 'timeout':
      return answer(504, 'timeout', { typed: error.bodySent });
    case 'post_send':
      return answer(502, 'unconfirmed');
    default:
      return answer(502, 'tmux_failed');
  }
}

/** A driver call, its tmux failures answered: gone → 404, tmux missing → 503, else 502/504. */
async function tmuxCall<T>(work: Promise<T>, id?: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof TmuxError)) throw error;
    const message = sanitizeLine(error.message);
    if (error.problem === 'not_found' || (error.problem === 'no_server' && id !== undefined)) {
      throw new HttpError(404, 'runtime_not_found', id ? `no runtime ${id}` : message);
    }
    if (error.problem === 'missing') throw new HttpError(503, 'tmux_missing', message);
    if (error.problem === 'timeout') throw new HttpError(504, 'timeout', message);
    throw new HttpError(502, 'tmux_failed', message);
  }
}
