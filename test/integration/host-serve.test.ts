import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import { AppFailure, type Profile, type RuntimeDriver } from '../../src/domain/index.js';
import { type HostServer, startHostServer } from '../../src/host/server.js';
import { TokenSet } from '../../src/host/tokens.js';
import { SIM_AGENT } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * `control-room host serve` in-process on 127.0.0.1 (port 0), over a LocalTmuxDriver on a
 * private tmux server, with the simulated agent (src/sim-agent, from source) as the runtime.
 * What the agent received is read from its prompt log, never from the screen alone.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const IDLE_HINT = 'enter to send';
const WORKING = 'esc to interrupt';
const SEND_TOKEN = `send-${randomBytes(16).toString('hex')}`;
const READ_TOKEN = `read-${randomBytes(16).toString('hex')}`;

const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();
const cleanups: (() => Promise<void> | void)[] = [];
// Registered after the tmux server's hook, so it runs first: the host closes before tmux dies.
afterEach(async () => {
  for (const work of cleanups.splice(0).reverse()) await work();
});

interface Host {
  server: HostServer;
  log: string;
  /** The access log lines written so far. */
  access: string[];
  /** The driver calls made so far (a refused request must make none). */
  driverCalls: string[];
  prompts(): string[];
}

function tokensFile(text: string, mode = 0o600): string {
  const file = join(dirs.make(), 'tokens');
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return file;
}

async function startHost(options: { workMs?: number; tokens?: boolean } = {}): Promise<Host> {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const dir = dirs.make();
  const log = join(dir, 'prompts.jsonl');
  const profiles: Record<string, Profile> = {
    sim: {
      name: 'sim',
      command: [...SIM_AGENT, '--log', log, '--work-ms', String(options.workMs ?? 200)],
      env: {},
      detector: 'sim',
    },
    ghost: { name: 'ghost', command: ['cr-no-such-agent'], env: {}, detector: 'generic' },
  };
  const tmux = new TmuxClient({ socketName: server.name() });
  const watcher = new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 });
  watcher.start();
  cleanups.push(() => watcher.stop());
  const local = new LocalTmuxDriver({ tmux, watcher, profiles });
  const driverCalls: string[] = [];
  const counted = <T>(name: string, work: () => Promise<T>): Promise<T> => {
    driverCalls.push(name);
    return work();
  };
  const driver: RuntimeDriver = {
    host: 'local',
    list: () => counted('list', () => local.list()),
    create: (spec) => counted('create', () => local.create(spec)),
    send: (id, text, opts) => counted('send', () => local.send(id, text, opts)),
    screen: (id) => counted('screen', () => local.screen(id)),
    close: (id) => counted('close', () => local.close(id)),
  };
  const access: string[] = [];
  const host = await startHostServer({
    host: '127.0.0.1',
    port: 0,
    tokensFile:
      options.tokens === false
        ? undefined
        : tokensFile(
            `# test tokens\n\nread,send ${SEND_TOKEN} ci-bot\nread ${READ_TOKEN} viewer\n`,
          ),
    driver,
    profiles,
    idempotencyFile: join(dir, 'state', 'host.db'),
    version: '9.9.9-test',
    tmuxVersion: async () => (await tmux.version()).text,
    log: (line) => access.push(line),
  });
  cleanups.push(() => host.close());
  return {
    server: host,
    log,
    access,
    driverCalls,
    prompts: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => (JSON.parse(line) as { prompt: string }).prompt)
        : [],
  };
}

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the answers are checked field by field
  body: any;
}

/** One request with a raw path (no URL normalisation), the answer's body parsed when JSON. */
function call(
  host: Host,
  method: string,
  path: string,
  options: { token?: string | null; json?: unknown; raw?: string | Buffer } = {},
): Promise<Reply> {
  const token = options.token === undefined ? SEND_TOKEN : options.token;
  const payload =
    options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  return new Promise((done, fail) => {
    const req = request(
      `${host.server.url}${path}`,
      {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          done({ status: res.statusCode ?? 0, body: text === '' ? null : JSON.parse(text) });
        });
        res.on('error', fail);
      },
    );
    // A raw path is sent as written: `new URL` would resolve `..`.
    req.path = path;
    req.on('error', fail);
    req.end(payload);
  });
}

const key = () => `k-${randomBytes(6).toString('hex')}`;
const doneLines = (screen: string) =>
  screen.split('\n').filter((l) => l.startsWith('done: ')).length;

async function screenOf(host: Host, id: string): Promise<string> {
  const reply = await call(host, 'GET', `/v1/runtimes/${id}/screen`);
  expect(reply.status).toBe(200);
  return (reply.body.lines as string[]).join('\n');
}

async function newAgent(host: Host): Promise<string> {
  const created = await call(host, 'POST', '/v1/runtimes', {
    json: { profile: 'sim', name: 'agent', cwd: REPO_ROOT },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await eventually(
    () => screenOf(host, id),
    (s) => s.includes('sim-agent ready') && s.includes(IDLE_HINT),
    'the agent ready and idle',
    20_000,
  );
  return id;
}

const idleAfter = (host: Host, id: string, count: number) =>
  eventually(
    () => screenOf(host, id),
    (s) => doneLines(s) === count && s.includes(IDLE_HINT) && !s.includes(WORKING),
    `${count} finished job(s) and an idle agent`,
    15_000,
  );

describe('control-room host serve', () => {
  it('serves health, create, list, get, screen and send; a repeated key types nothing', async () => {
    const host = await startHost();
    const health = await call(host, 'GET', '/v1/health');
    expect(health).toMatchObject({ status: 200, body: { ok: true, version: '9.9.9-test' } });
    expect(health.body.tmux).toMatch(/^tmux \d/);

    const id = await newAgent(host);
    expect(id).toMatch(/^rt_[0-9]+_[0-9a-z]+$/);
    const list = await call(host, 'GET', '/v1/runtimes', { token: READ_TOKEN });
    expect(list.status).toBe(200);
    expect(list.body.runtimes).toEqual([
      expect.objectContaining({ id, name: 'agent', profile: 'sim', cwd: REPO_ROOT }),
    ]);
    const one = await call(host, 'GET', `/v1/runtimes/${id}`, { token: READ_TOKEN });
    expect(one).toMatchObject({ status: 200, body: { id, name: 'agent', profile: 'sim' } });
    // A quiet agent read once is `idle` or `unknown` (the driver does not guess), never busy.
    expect(['idle', 'unknown']).toContain(one.body.state);
    const screen = await call(host, 'GET', `/v1/runtimes/${id}/screen`);
    expect(screen.body).toMatchObject({ cols: expect.any(Number), rows: expect.any(Number) });
    expect(screen.body.cursor).toEqual({ x: expect.any(Number), y: expect.any(Number) });

    const text = 'Please summarise README.md in three bullet points, then stop.';
    const repeated = key();
    const first = await call(host, 'POST', `/v1/runtimes/${id}/send`, {
      json: { text, idempotencyKey: repeated },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      messageId: expect.stringMatching(/^msg_/),
      runtime: { id },
    });
    expect(Number.isNaN(Date.parse(first.body.deliveredAt))).toBe(false);
    await idleAfter(host, id, 1);
    expect(host.prompts()).toEqual([text]);

    const again = await call(host, 'POST', `/v1/runtimes/${id}/send`, {
      json: { text, idempotencyKey: repeated },
    });
    expect(again).toEqual(first);
    // Two at once with one key: one is typed, both carry its messageId.
    const both = key();
    const twice = await Promise.all(
      [0, 1].map(() =>
        call(host, 'POST', `/v1/runtimes/${id}/send`, {
          json: { text: 'second', idempotencyKey: both },
        }),
      ),
    );
    expect(twice.map((r) => r.status)).toEqual([200, 200]);
    expect(twice[1]?.body.messageId).toBe(twice[0]?.body.messageId);
    expect(twice[0]?.body.messageId).not.toBe(first.body.messageId);
    await idleAfter(host, id, 2);
    expect(host.prompts()).toEqual([text, 'second']);

    // The access log: a line per request, with the token's name and never the token.
    expect(host.access.length).toBeGreaterThanOrEqual(8);
    const entries = host.access.map((line) => JSON.parse(line));
    expect(entries).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: `/v1/runtimes/${id}/send`,
        status: 200,
        token: 'ci-bot',
      }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ method: 'GET', token: 'viewer' }));
    for (const entry of entries) expect(typeof entry.ms).toBe('number');
    for (const line of host.access) {
      expect(line).not.toContain(SEND_TOKEN);
      expect(line).not.toContain(READ_TOKEN);
    }

    // Shutdown lets a send in flight finish, then refuses new connections.
    const sends = () => host.driverCalls.filter((c) => c === 'send').length;
    const sendsBefore = sends();
    const inFlight = call(host, 'POST', `/v1/runtimes/${id}/send`, {
      json: { text: 'last one', idempotencyKey: key() },
    });
    await eventually(sends, (n) => n === sendsBefore + 1, 'the send reaching the driver');
    const closed = host.server.close();
    expect((await inFlight).status).toBe(200);
    await closed;
    await expect(call(host, 'GET', '/v1/health')).rejects.toThrow(/ECONNREFUSED/);
    await eventually(host.prompts, (p) => p.length === 3, 'the last prompt logged');
    expect(host.prompts()).toEqual([text, 'second', 'last one']);
  });

  it('answers 409 runtime_busy with the runtime while the agent works, typing nothing; then deletes it', async () => {
    const host = await startHost({ workMs: 4000 });
    const id = await newAgent(host);
    const sent = await call(host, 'POST', `/v1/runtimes/${id}/send`, {
      json: { text: 'first: run the migration', idempotencyKey: key() },
    });
    expect(sent.status).toBe(200);
    await eventually(
      () => screenOf(host, id),
      (s) => s.includes(WORKING),
      'the agent working',
    );
    const refusedKey = key();
    const busy = await call(host, 'POST', `/v1/runtimes/${id}/send`, {
      json: { text: 'second: must not arrive', idempotencyKey: refusedKey },
    });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({
      code: 'runtime_busy',
      message: expect.any(String),
      runtime: { id, name: 'agent', state: 'busy' },
    });
    await idleAfter(host, id, 1);
    expect(host.prompts()).toEqual(['first: run the migration']);
    // A refusal is not remembered: the same key, once idle, is delivered.
    const retried = await call(host, 'POST', `/v1/runtimes/${id}/send`, {
      json: { text: 'second: now it may', idempotencyKey: refusedKey },
    });
    expect(retried.status).toBe(200);
    await eventually(host.prompts, (p) => p.length === 2, 'the retried prompt logged');
    expect(host.prompts()).toEqual(['first: run the migration', 'second: now it may']);

    expect((await call(host, 'DELETE', `/v1/runtimes/${id}`)).status).toBe(204);
    expect(await call(host, 'GET', `/v1/runtimes/${id}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'runtime_not_found' } },
    });
    expect((await call(host, 'DELETE', `/v1/runtimes/${id}`)).status).toBe(404);
    expect(await server.tmux('list-sessions', '-F', '#{session_name}').catch(() => '')).not.toMatch(
      /^agent$/m,
    );
  });

  it('refuses missing, malformed and unknown tokens (401), and send with a read token (403)', async () => {
    const host = await startHost();
    for (const token of [null, 'wrong-token-0123456789', `${SEND_TOKEN}x`]) {
      const reply = await call(host, 'GET', '/v1/runtimes', { token });
      expect(reply, String(token)).toMatchObject({
        status: 401,
        body: { error: { code: 'unauthenticated', message: expect.any(String) } },
      });
      expect(JSON.stringify(reply.body)).not.toContain(SEND_TOKEN);
    }
    const forbidden = await call(host, 'POST', '/v1/runtimes/rt_1_a/send', {
      token: READ_TOKEN,
      json: { text: 'hello', idempotencyKey: key() },
    });
    expect(forbidden).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const forbiddenCreate = await call(host, 'POST', '/v1/runtimes', {
      token: READ_TOKEN,
      json: { profile: 'sim' },
    });
    expect(forbiddenCreate.status).toBe(403);
    expect(host.driverCalls).toEqual([]);
    expect((await call(host, 'GET', '/v1/runtimes', { token: READ_TOKEN })).status).toBe(200);
    const entries = host.access.map((line) => JSON.parse(line));
    expect(entries.filter((e) => e.status === 401).map((e) => e.token)).toEqual([null, null, null]);
    for (const line of host.access) expect(line).not.toContain(SEND_TOKEN);
  });

  it('refuses to start with a tokens file others can read, or on a non-loopback address without tokens', async () => {
    const open = tokensFile(`read,send ${SEND_TOKEN}\n`, 0o644);
    const failure = (() => {
      try {
        TokenSet.load(open);
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).message).toContain(open);
    expect((failure as AppFailure).message).toContain('0644');
    const base = {
      port: 0,
      driver: {} as RuntimeDriver,
      profiles: {},
      idempotencyFile: join(dirs.make(), 'host.db'),
      version: 'x',
      tmuxVersion: async () => 'tmux',
      log: () => undefined,
    };
    await expect(startHostServer({ ...base, host: '127.0.0.1', tokensFile: open })).rejects.toThrow(
      open,
    );
    await expect(startHostServer({ ...base, host: '0.0.0.0' })).rejects.toThrow(/without tokens/);
    // The same address with tokens starts.
    const withTokens = await startHostServer({
      ...base,
      host: '0.0.0.0',
      tokensFile: tokensFile(`read ${READ_TOKEN}\n`),
    });
    cleanups.push(() => withTokens.close());
    expect(withTokens.authenticated).toBe(true);
  });

  it('on loopback without a tokens file serves without authentication', async () => {
    const host = await startHost({ tokens: false });
    expect(host.server.authenticated).toBe(false);
    expect((await call(host, 'GET', '/v1/health', { token: null })).status).toBe(200);
  });

  it('answers bad input with a clear 4xx, touches no tmux for a bad id, and keeps serving', async () => {
    const host = await startHost();
    const id = await newAgent(host);
    const callsBefore = host.driverCalls.length;
    const send = (json: unknown) => call(host, 'POST', `/v1/runtimes/${id}/send`, { json });
    const cases: [string, Promise<Reply>, number, string, RegExp][] = [
      [
        'an oversized body',
        call(host, 'POST', `/v1/runtimes/${id}/send`, {
          raw: `{"text":"${'a'.repeat(1_500_000)}"}`,
        }),
        413,
        'text_too_large',
        /bytes/,
      ],
      [
        'a text over 262,144 bytes',
        send({ text: 'x'.repeat(262_145), idempotencyKey: key() }),
        413,
        'text_too_large',
        /262144/,
      ],
      [
        'bad JSON',
        call(host, 'POST', `/v1/runtimes/${id}/send`, { raw: '{"text": "hi",' }),
        400,
        'invalid_request',
        /JSON/,
      ],
      [
        'an unknown field',
        send({ text: 'hi', idempotencyKey: key(), shell: 'rm' }),
        400,
        'invalid_request',
        /unknown field "shell"/,
      ],
      ['a missing key', send({ text: 'hi' }), 400, 'invalid_request', /idempotencyKey/],
      [
        'a long key',
        send({ text: 'hi', idempotencyKey: 'k'.repeat(129) }),
        400,
        'invalid_request',
        /idempotencyKey/,
      ],
      ['an empty text', send({ text: '', idempotencyKey: key() }), 400, 'invalid_request', /^text/],
      [
        'ESC in the text',
        send({ text: 'a\x1b[201~b', idempotencyKey: key() }),
        400,
        'invalid_request',
        /control character/,
      ],
      [
        'NUL in the text',
        send({ text: 'a\x00b', idempotencyKey: key() }),
        400,
        'invalid_request',
        /control character/,
      ],
      [
        'a wrong type',
        send({ text: 'hi', idempotencyKey: key(), submit: 'yes' }),
        400,
        'invalid_request',
        /^submit/,
      ],
      [
        'an unknown field on create',
        call(host, 'POST', '/v1/runtimes', { json: { profile: 'sim', cmd: 'sh' } }),
        400,
        'invalid_request',
        /unknown field "cmd"/,
      ],
      [
        'an unknown profile',
        call(host, 'POST', '/v1/runtimes', { json: { profile: 'nope' } }),
        422,
        'unknown_profile',
        /nope/,
      ],
      ['.. in the id', call(host, 'GET', '/v1/runtimes/../health'), 400, 'invalid_request', /path/],
      [
        '%2e%2e in the id',
        call(host, 'GET', '/v1/runtimes/%2e%2e/screen'),
        400,
        'invalid_request',
        /path/,
      ],
      [
        '%2F in the id',
        call(host, 'DELETE', `/v1/runtimes/${id}%2F..`),
        400,
        'invalid_request',
        /path/,
      ],
      ['an empty id', call(host, 'GET', '/v1/runtimes//screen'), 400, 'invalid_request', /^id/],
      [
        'a control character in the id',
        call(host, 'GET', '/v1/runtimes/rt_1%1b[2J/screen'),
        400,
        'invalid_request',
        /^id/,
      ],
      [
        'an unknown id',
        call(host, 'GET', '/v1/runtimes/rt_999_zz'),
        404,
        'runtime_not_found',
        /rt_999_zz/,
      ],
    ];
    for (const [what, pending, status, code, message] of cases) {
      const reply = await pending;
      expect(reply.status, what).toBe(status);
      expect(reply.body.error.code, what).toBe(code);
      expect(reply.body.error.message, what).toMatch(message);
    }
    // Of all these, only the unknown id (a well-formed request) was looked up in tmux.
    expect(host.driverCalls.slice(callsBefore)).toEqual(['list']);
    expect((await call(host, 'GET', '/v1/health')).status).toBe(200);
    const screen = await screenOf(host, id);
    expect(screen).toContain(IDLE_HINT);
    expect(host.prompts()).toEqual([]);
  });

  it('answers 404 runtime_not_found for an unknown runtime on every route, whatever its id looks like', async () => {
    const host = await startHost();
    const id = await newAgent(host);
    const unknown = ['rt_does_not_exist', 'rt_1_A!', 'agent', 'x'.repeat(100), 'rt_999_zz'];
    for (const other of unknown) {
      const path = `/v1/runtimes/${encodeURIComponent(other)}`;
      const sent = { json: { text: 'hello', idempotencyKey: key() } };
      const replies: [string, Reply][] = [
        ['GET', await call(host, 'GET', path)],
        ['DELETE', await call(host, 'DELETE', path)],
        ['screen', await call(host, 'GET', `${path}/screen`)],
        ['output', await call(host, 'GET', `${path}/output`)],
        ['send', await call(host, 'POST', `${path}/send`, sent)],
      ];
      for (const [what, reply] of replies) {
        expect(reply.status, `${what} ${other}`).toBe(404);
        expect(reply.body.error.code, `${what} ${other}`).toBe('runtime_not_found');
      }
    }
    // The runtime that exists was not touched, and nothing was typed anywhere.
    expect((await call(host, 'GET', `/v1/runtimes/${id}`)).status).toBe(200);
    expect(host.prompts()).toEqual([]);
  });

  it('refuses a send to a pane whose program is a shell with 400 invalid_request, typing nothing', async () => {
    const host = await startHost();
    await server.tmux('new-session', '-d', '-s', 'plain', '--', 'sh');
    const listed = await call(host, 'GET', '/v1/runtimes');
    const plain = (listed.body.runtimes as { id: string; name: string }[]).find(
      (r) => r.name === 'plain',
    );
    expect(plain).toBeDefined();
    const reply = await call(host, 'POST', `/v1/runtimes/${plain?.id}/send`, {
      json: { text: 'Issue: x\ntouch /tmp/never', idempotencyKey: key() },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('invalid_request');
    expect(reply.body.error.message).toContain('plain runs sh, a shell');
    const screen = await server.tmux('capture-pane', '-p', '-t', 'plain');
    expect(screen).not.toContain('touch');
  });

  it('refuses to create a runtime whose program is not installed with 422, starting nothing', async () => {
    const host = await startHost();
    const before = await call(host, 'GET', '/v1/runtimes');
    const reply = await call(host, 'POST', '/v1/runtimes', { json: { profile: 'ghost' } });
    expect(reply.status).toBe(422);
    expect(reply.body.error).toMatchObject({
      code: 'program_not_installed',
      program: 'cr-no-such-agent',
    });
    expect(reply.body.error.message).toContain(
      'cr-no-such-agent is not installed here (not on PATH)',
    );
    const after = await call(host, 'GET', '/v1/runtimes');
    expect(after.body.runtimes).toEqual(before.body.runtimes);
  });
});
