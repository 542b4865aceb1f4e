import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpDriverError, HttpRuntimeDriver } from '../../src/adapters/http/http-driver.js';
import type { Runtime } from '../../src/domain/index.js';
import { sendWithRetry } from '../../src/services/dispatch/retry.js';
import {
  apiError,
  type FaultServer,
  freePort,
  json,
  startFaultServer,
} from './helpers/fault-server.js';

/**
 * HttpRuntimeDriver against a fault-injecting runtime host (helpers/fault-server.ts): one test per
 * row of `runtime-api.md`'s failure table, each asserting the kind, the status and the message.
 */

const TOKEN = 'tok-7Hq2-secret-Zx91';
const HOST = 'lab';

const RUNTIME: Runtime = {
  id: 'rt_8f2c1a',
  name: 'mc-4429',
  profile: 'codex',
  cwd: '/srv/work/mc-4429',
  state: 'busy',
  ticket: 'MC-4429',
  createdAt: '2026-11-25T06:01:00Z',
  lastActivityAt: '2026-11-25T06:44:10Z',
  command: 'codex',
};

let server: FaultServer;

beforeEach(async () => {
  server = await startFaultServer();
});

afterEach(async () => {
  await server.close();
});

function driver(overrides: { baseUrl?: string; sendTimeoutMs?: number } = {}): HttpRuntimeDriver {
  return new HttpRuntimeDriver({
    host: HOST,
    baseUrl: overrides.baseUrl ?? server.url,
    token: TOKEN,
    ...(overrides.sendTimeoutMs === undefined ? {} : { sendTimeoutMs: overrides.sendTimeoutMs }),
  });
}

async function failure(promise: Promise<unknown>): Promise<HttpDriverError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpDriverError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function sendOnce(d = driver(), id = RUNTIME.id): Promise<unknown> {
  return d.send(id, 'fix the flaky test', { idempotencyKey: 'key-1', ticket: 'MC-4429' });
}

function expectNoToken(error: HttpDriverError): void {
  expect(error.message).not.toContain(TOKEN);
  expect(JSON.stringify(error.error)).not.toContain(TOKEN);
}

describe('HttpRuntimeDriver.send: the failure table', () => {
  it('200: delivered, with the receipt the host sent', async () => {
    server.fault = json(200, {
      messageId: 'msg_1',
      deliveredAt: '2026-11-25T06:45:00Z',
      runtime: RUNTIME,
    });
    const receipt = await sendOnce();
    expect(receipt).toEqual({
      messageId: 'msg_1',
      deliveredAt: '2026-11-25T06:45:00Z',
      runtime: RUNTIME,
    });
    expect(server.requests).toHaveLength(1);
    const [seen] = server.requests;
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/v1/runtimes/rt_8f2c1a/send');
    expect(seen?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(seen?.body ?? '')).toEqual({
      text: 'fix the flaky test',
      submit: true,
      ticket: 'MC-4429',
      idempotencyKey: 'key-1',
    });
  });

  it('sends Authorization: Bearer <token>', async () => {
    server.fault = json(200, { runtimes: [] });
    await driver().list();
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('409 with a runtime body: busy, with that runtime', async () => {
    server.fault = apiError(409, 'runtime_busy', 'runtime is working', { runtime: RUNTIME });
    const error = await failure(sendOnce());
    expect(error.error).toEqual({
      kind: 'busy',
      host: HOST,
      status: 409,
      message: 'runtime is working',
    });
    expect(error.code).toBe('runtime_busy');
    expect(error.runtime).toEqual(RUNTIME);
  });

  it('409 input_not_empty: text left in the input line, neither busy nor adopted', async () => {
    const body = { runtime: RUNTIME };
    server.fault = apiError(
      409,
      'input_not_empty',
      'cr-ops-7 has text left in its input line',
      body,
    );
    const error = await failure(sendOnce());
    expect(error.error).toEqual({
      kind: 'input_not_empty',
      host: HOST,
      status: 409,
      message: 'cr-ops-7 has text left in its input line',
    });
    expect(error.code).toBe('input_not_empty');
    expect(error.runtime).toBeNull();
  });

  // The rows of the failure table that a host answers with its JSON error body.
  it.each([
    [401, 'unauthenticated', 'unknown token', 'auth'],
    [403, 'forbidden', 'token lacks the send scope', 'auth'],
    [500, 'internal', 'tmux exited with status 1', 'server'],
    [504, 'upstream_timeout', 'upstream did not answer', 'server'],
    [404, 'runtime_not_found', 'no runtime rt_8f2c1a', 'not_found'],
    [413, 'text_too_large', 'text is over 262144 bytes', 'invalid'],
    [422, 'unknown_profile', 'no profile named gpt', 'invalid'],
  ] as const)('%i %s: %s', async (status, code, message, kind) => {
    server.fault = apiError(status, code, message);
    const error = await failure(sendOnce());
    expect(error.error).toEqual({ kind, host: HOST, status, message });
    expect(error.code).toBe(code);
  });

  it('502 with an HTML page: server, by status alone, with the page title', async () => {
    server.fault = (_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end(
        '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>' +
          '<hr><center>nginx</center></body></html>',
      );
    };
    const error = await failure(sendOnce());
    expect(error.error).toEqual({
      kind: 'server',
      host: HOST,
      status: 502,
      message: '502 Bad Gateway',
    });
    expect(error.code).toBeNull();
  });

  it('503 with an empty body: server, with the status text', async () => {
    server.fault = (_req, res) => {
      res.writeHead(503, 'Service Unavailable').end();
    };
    const error = await failure(sendOnce());
    expect(error.error).toEqual({
      kind: 'server',
      host: HOST,
      status: 503,
      message: 'Service Unavailable',
    });
  });

  it('no answer within the deadline: timeout, body sent', async () => {
    server.fault = () => {
      // Reads the body (the server does before calling a fault) and never answers.
    };
    const error = await failure(sendOnce(driver({ sendTimeoutMs: 300 })));
    expect(error.error).toEqual({
      kind: 'timeout',
      host: HOST,
      status: null,
      message: 'no answer within 300 ms',
      bodySent: true,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('reset after the body was read: post_send', async () => {
    server.fault = (req) => {
      req.socket.destroy();
    };
    const error = await failure(sendOnce());
    expect(error.error.kind).toBe('post_send');
    expect(error.error.status).toBeNull();
    expect(error.error.message).toMatch(
      /^connection (reset|closed) after the request was sent \(127\.0\.0\.1:\d+, ECONNRESET\)$/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('truncated answer (Content-Length not reached): post_send', async () => {
    server.fault = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"messageI', () => req.socket.destroy());
    };
    const error = await failure(sendOnce());
    expect(error.error).toEqual({
      kind: 'post_send',
      host: HOST,
      status: null,
      message: 'answer cut off after 10 of 100 bytes',
    });
  });

  it('a chunked answer cut short: post_send', async () => {
    server.fault = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"messageId"', () => req.socket.destroy());
    };
    const error = await failure(sendOnce());
    expect(error.error).toEqual({
      kind: 'post_send',
      host: HOST,
      status: null,
      message: 'answer cut off after 12 bytes',
    });
  });

  it('a refused port: unreachable', async () => {
    const port = await freePort();
    const error = await failure(sendOnce(driver({ baseUrl: `http://127.0.0.1:${port}` })));
    expect(error.error).toEqual({
      kind: 'unreachable',
      host: HOST,
      status: null,
      message: `connection refused (127.0.0.1:${port}, ECONNREFUSED)`,
    });
  });

  it('an unknown host name: unreachable', async () => {
    const error = await failure(sendOnce(driver({ baseUrl: 'http://no-such-host.invalid:1' })));
    expect(error.error.kind).toBe('unreachable');
    expect(error.error.status).toBeNull();
    // Name not found, or (a resolver that never answers) no connection within the deadline.
    expect(error.error.message).toMatch(
      /^(host name (not found|lookup failed) \(no-such-host\.invalid:1, E[A-Z_]+\)|no connection to no-such-host\.invalid:1 within \d+ ms)$/,
    );
  });

  it('400: invalid, the message sanitised and cut', async () => {
    const long = `control \x1b[31mcharacter\x1b[0m\nrefused ${'x'.repeat(400)}`;
    server.fault = apiError(400, 'invalid_request', long);
    const error = await failure(sendOnce());
    expect(error.error.kind).toBe('invalid');
    expect(error.error.status).toBe(400);
    expect(error.error.message.startsWith('control character refused xxx')).toBe(true);
    expect(error.error.message).toHaveLength(200);
    expect(error.error.message).not.toMatch(/[\x00-\x1f]/);
  });
});

describe('HttpRuntimeDriver: token and ids', () => {
  it('never puts the token in an error message, even when the host echoes it', async () => {
    const seen: HttpDriverError[] = [];
    server.fault = apiError(401, 'unauthenticated', `unknown token ${TOKEN}`);
    seen.push(await failure(sendOnce()));
    server.fault = (_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end(`<html><body>Authorization: Bearer ${TOKEN}</body></html>`);
    };
    seen.push(await failure(sendOnce()));
    server.fault = (req) => req.socket.destroy();
    seen.push(await failure(sendOnce()));
    seen.push(await failure(driver({ baseUrl: `http://127.0.0.1:${await freePort()}` }).list()));
    expect(seen.map((e) => e.error.kind)).toEqual(['auth', 'server', 'post_send', 'unreachable']);
    expect(seen[0]?.error.message).toBe('unknown token [redacted]');
    expect(seen[1]?.error.message).toBe('Authorization: Bearer [redacted]');
    for (const error of seen) expectNoToken(error);
  });

  it('refuses ids with / or .. as invalid, without a request', async () => {
    const d = driver();
    for (const id of ['a/b', '..', '../etc', 'x..y', '']) {
      const errors = [
        await failure(sendOnce(d, id)),
        await failure(d.screen(id)),
        await failure(d.close(id)),
      ];
      for (const error of errors) {
        expect(error.error.kind).toBe('invalid');
        expect(error.error.status).toBeNull();
        expect(error.error.message).toContain('is not a valid path segment');
      }
    }
    expect(server.requests).toHaveLength(0);
  });

  it('encodes an id as one path segment', async () => {
    server.fault = json(200, { cols: 80, rows: 2, lines: ['a', 'b'], cursor: { x: 1, y: 1 } });
    const screen = await driver().screen('rt 1?x#y');
    expect(screen).toEqual({ cols: 80, rows: 2, lines: ['a', 'b'], cursor: { x: 1, y: 1 } });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/runtimes/rt%201%3Fx%23y/screen',
    ]);
  });
});

describe('HttpRuntimeDriver: the other calls', () => {
  it('list, create and close speak the contract', async () => {
    const d = driver();
    server.fault = json(200, { runtimes: [RUNTIME] });
    expect(await d.list()).toEqual([RUNTIME]);
    server.fault = json(201, RUNTIME);
    expect(await d.create({ profile: 'codex', ticket: 'MC-4429' })).toEqual(RUNTIME);
    server.fault = (_req, res) => {
      res.writeHead(204).end();
    };
    await d.close(RUNTIME.id);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/runtimes',
      'POST /v1/runtimes',
      'DELETE /v1/runtimes/rt_8f2c1a',
    ]);
    expect(JSON.parse(server.requests[1]?.body ?? '')).toEqual({
      profile: 'codex',
      ticket: 'MC-4429',
    });
  });

  it('a failed list throws the same typed error', async () => {
    server.fault = apiError(403, 'forbidden', 'no read scope');
    const error = await failure(driver().list());
    expect(error.error).toEqual({
      kind: 'auth',
      host: HOST,
      status: 403,
      message: 'no read scope',
    });
  });

  it('a 2xx answer of the wrong shape is a server error', async () => {
    server.fault = json(200, { runtimes: [{ id: 1 }] });
    const error = await failure(driver().list());
    expect(error.error.kind).toBe('server');
    expect(error.error.status).toBe(200);
  });
});

describe('sendWithRetry', () => {
  it('retries a 503 and succeeds with the same idempotency key', async () => {
    let calls = 0;
    server.fault = (req, res, seen) => {
      calls += 1;
      if (calls === 1) apiError(503, 'unavailable', 'restarting')(req, res, seen);
      else
        json(200, { messageId: 'msg_2', deliveredAt: '2026-11-25T06:46:00Z', runtime: RUNTIME })(
          req,
          res,
          seen,
        );
    };
    const delays: number[] = [];
    const receipt = await sendWithRetry(
      driver(),
      RUNTIME.id,
      'hello',
      { idempotencyKey: 'key-retry' },
      { attempts: 3, baseDelayMs: 100, sleep: async (ms) => void delays.push(ms), random: () => 1 },
    );
    expect(receipt.messageId).toBe('msg_2');
    expect(server.requests).toHaveLength(2);
    const keys = server.requests.map(
      (r) => (JSON.parse(r.body) as { idempotencyKey: string }).idempotencyKey,
    );
    expect(keys).toEqual(['key-retry', 'key-retry']);
    expect(delays).toEqual([100]);
  });

  it('gives up after the attempts, with the last failure', async () => {
    server.fault = apiError(500, 'internal', 'still broken');
    const delays: number[] = [];
    const error = await failure(
      sendWithRetry(
        driver(),
        RUNTIME.id,
        'hello',
        { idempotencyKey: 'k' },
        {
          attempts: 3,
          baseDelayMs: 100,
          maxDelayMs: 150,
          sleep: async (ms) => void delays.push(ms),
          random: () => 1,
        },
      ),
    );
    expect(error.error).toMatchObject({ kind: 'server', status: 500, message: 'still broken' });
    expect(server.requests).toHaveLength(3);
    expect(delays).toEqual([100, 150]);
  });

  it('does not retry a 401', async () => {
    server.fault = apiError(401, 'unauthenticated', 'unknown token');
    let slept = 0;
    const error = await failure(
      sendWithRetry(
        driver(),
        RUNTIME.id,
        'hello',
        { idempotencyKey: 'k' },
        {
          attempts: 3,
          sleep: async () => {
            slept += 1;
          },
        },
      ),
    );
    expect(error.error.kind).toBe('auth');
    expect(server.requests).toHaveLength(1);
    expect(slept).toBe(0);
  });
});
