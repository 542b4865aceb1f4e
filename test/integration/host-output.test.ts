import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { decodeOutput, parseOutputLine } from '../../src/adapters/tmux/output-client.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import type { Runtime } from '../../src/domain/index.js';
import { type HostServer, startHostServer } from '../../src/host/server.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * `GET /v1/runtimes/{id}/output` of an in-process host over a private tmux server: a shell
 * runtime echoes what is typed into its pane, and the stream must carry it.
 */

const TOKEN = `read-${randomBytes(16).toString('hex')}`;

const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const work of cleanups.splice(0).reverse()) await work();
});

async function startHost(): Promise<HostServer> {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const dir = dirs.make();
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, `read ${TOKEN} viewer\n`, { mode: 0o600 });
  chmodSync(tokens, 0o600);
  const tmux = new TmuxClient({ socketName: server.name() });
  const watcher = new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 });
  watcher.start();
  cleanups.push(() => watcher.stop());
  const host = await startHostServer({
    host: '127.0.0.1',
    port: 0,
    tokensFile: tokens,
    driver: new LocalTmuxDriver({ tmux, watcher, profiles: {} }),
    profiles: {},
    idempotencyFile: join(dir, 'state', 'host.db'),
    version: '9.9.9-test',
    tmuxVersion: async () => (await tmux.version()).text,
    tmux,
    log: () => {},
  });
  cleanups.push(() => host.close());
  return host;
}

/** A session running a shell that answers one line; resolves with its runtime. */
async function echoRuntime(
  host: HostServer,
  name: string,
  script = 'read x; echo "hello-$x"; sleep 30',
): Promise<Runtime> {
  await server.tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', 'sh', '-c', script);
  const list = await eventually(
    () => getJson(host, '/v1/runtimes'),
    (reply) =>
      (reply.body?.runtimes as Runtime[] | undefined)?.some((r) => r.name === name) ?? false,
    `the runtime ${name} listed`,
  );
  return (list.body.runtimes as Runtime[]).find((r) => r.name === name) as Runtime;
}

// biome-ignore lint/suspicious/noExplicitAny: the answers are checked field by field
function getJson(host: HostServer, path: string): Promise<{ status: number; body: any }> {
  return new Promise((done, fail) => {
    const req = request(
      `${host.url}${path}`,
      { headers: { authorization: `Bearer ${TOKEN}` } },
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
    req.on('error', fail);
    req.end();
  });
}

interface SseEvent {
  event: string;
  data: string;
}

interface Stream {
  status: number;
  headers: IncomingMessage['headers'];
  events: SseEvent[];
  /** The raw body (the JSON error of a refused call). */
  body: () => string;
  ended: () => boolean;
  /** Everything the `output` events carried so far, decoded. */
  output: () => string;
  close: () => void;
  pause: () => void;
  resume: () => void;
}

/** Opens the output stream; resolves once the status and headers are in. */
function openStream(host: HostServer, id: string, token: string | null = TOKEN): Promise<Stream> {
  return new Promise((done, fail) => {
    const req = request(
      `${host.url}/v1/runtimes/${id}/output`,
      { headers: token === null ? {} : { authorization: `Bearer ${token}` } },
      (res) => {
        const events: SseEvent[] = [];
        let raw = '';
        let pending = '';
        let ended = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          raw += chunk;
          pending += chunk;
          for (;;) {
            const end = pending.indexOf('\n\n');
            if (end < 0) break;
            const block = pending.slice(0, end);
            pending = pending.slice(end + 2);
            const event: SseEvent = { event: 'message', data: '' };
            let isEvent = false;
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) {
                event.event = line.slice(7);
                isEvent = true;
              } else if (line.startsWith('data: ')) {
                event.data += line.slice(6);
                isEvent = true;
              }
            }
            if (isEvent) events.push(event);
          }
        });
        res.on('end', () => {
          ended = true;
        });
        res.on('error', () => {
          ended = true;
        });
        cleanups.push(() => {
          req.destroy();
        });
        done({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          body: () => raw,
          ended: () => ended,
          output: () =>
            Buffer.concat(
              events.filter((e) => e.event === 'output').map((e) => Buffer.from(e.data, 'base64')),
            ).toString('utf8'),
          close: () => req.destroy(),
          pause: () => res.pause(),
          resume: () => res.resume(),
        });
      },
    );
    req.on('error', fail);
    req.end();
  });
}

/** The control clients with output (ours): read-only, without `no-output` (the watcher's). */
async function outputClients(): Promise<number> {
  const flags = await server.tmux('list-clients', '-F', '#{client_flags}');
  return flags
    .split('\n')
    .filter((f) => f.includes('read-only') && !f.includes('no-output') && f.includes('control'))
    .length;
}

describe('control-mode output decoding', () => {
  it('undoes the octal escapes and keeps other bytes as they are', () => {
    expect(decodeOutput(Buffer.from('a\\015\\012b\\134c\\033[0m', 'latin1'))).toEqual(
      Buffer.from('a\r\nb\\c\x1b[0m', 'latin1'),
    );
    expect(decodeOutput(Buffer.from([0xc3, 0xa9, 0x5c, 0x30, 0x31]))).toEqual(
      Buffer.from([0xc3, 0xa9, 0x5c, 0x30, 0x31]),
    );
    expect(parseOutputLine(Buffer.from('%output %3 hi\\012'))).toEqual({
      pane: '%3',
      data: Buffer.from('hi\n'),
    });
    expect(parseOutputLine(Buffer.from('%extended-output %12 40 : x\\134y'))).toEqual({
      pane: '%12',
      data: Buffer.from('x\\y'),
    });
    expect(parseOutputLine(Buffer.from('%window-add @1'))).toBeNull();
  });
});

describe('GET /v1/runtimes/{id}/output', () => {
  it('streams a state, then the pane output; a session that ends sends exited and ends', async () => {
    const host = await startHost();
    const runtime = await echoRuntime(host, 'echo');
    const stream = await openStream(host, runtime.id);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    expect(stream.headers['cache-control']).toBe('no-cache');
    await eventually(
      () => stream.events.length,
      (n) => n > 0,
      'the first event',
    );
    const first = stream.events[0] as SseEvent;
    expect(first.event).toBe('state');
    expect((JSON.parse(first.data) as Runtime).id).toBe(runtime.id);

    await server.tmux('send-keys', '-t', runtime.name, '-l', 'world');
    await server.tmux('send-keys', '-t', runtime.name, 'Enter');
    await eventually(
      () => stream.output(),
      (text) => text.includes('hello-world'),
      'hello-world in the output events',
    );

    await server.tmux('kill-session', '-t', runtime.name);
    await eventually(() => stream.ended(), Boolean, 'the stream ended');
    const last = stream.events.at(-1) as SseEvent;
    expect(last.event).toBe('state');
    expect(JSON.parse(last.data)).toMatchObject({ id: runtime.id, state: 'exited' });
  });

  it('shares one control client between listeners, and stops it when the last leaves', async () => {
    const host = await startHost();
    const runtime = await echoRuntime(host, 'shared');
    expect(await outputClients()).toBe(0);
    const one = await openStream(host, runtime.id);
    const two = await openStream(host, runtime.id);
    expect([one.status, two.status]).toEqual([200, 200]);
    await eventually(
      () => one.events.length + two.events.length,
      (n) => n >= 2,
      'both states',
    );
    expect(await outputClients()).toBe(1);

    await server.tmux('send-keys', '-t', runtime.name, '-l', 'both');
    await server.tmux('send-keys', '-t', runtime.name, 'Enter');
    await eventually(
      () => [one.output(), two.output()],
      (texts) => texts.every((t) => t.includes('hello-both')),
      'hello-both on both streams',
    );

    one.close();
    await eventually(
      () => getJson(host, '/v1/health'),
      (reply) => reply.status === 200,
      'the host still answering',
    );
    expect(await outputClients()).toBe(1);
    two.close();
    await eventually(outputClients, (n) => n === 0, 'no output client left');
  });

  it('drops output for a listener that does not read, and says how much', async () => {
    const host = await startHost();
    const runtime = await echoRuntime(
      host,
      'flood',
      'read x; seq 1 1500000; echo flood-done; sleep 30',
    );
    const stream = await openStream(host, runtime.id);
    await eventually(
      () => stream.events.length,
      (n) => n > 0,
      'the first state',
    );
    stream.pause();
    await server.tmux('send-keys', '-t', runtime.name, 'Enter');
    // The agent is never held back by the stalled listener: it finishes printing.
    await eventually(
      () => server.tmux('capture-pane', '-p', '-t', runtime.name),
      (screen) => screen.includes('flood-done'),
      'the flood printed to its end',
      30_000,
    );
    stream.resume();
    const dropped = await eventually(
      () => stream.events.find((e) => e.event === 'dropped'),
      (e) => e !== undefined,
      'a dropped event',
      15_000,
    );
    expect(JSON.parse((dropped as SseEvent).data).bytes).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown runtime and 401 without a token', async () => {
    const host = await startHost();
    const runtime = await echoRuntime(host, 'auth');
    const unknown = await openStream(host, 'rt_999_zzzz');
    expect(unknown.status).toBe(404);
    await eventually(() => unknown.ended(), Boolean, 'the 404 answer read');
    expect(JSON.parse(unknown.body()).error.code).toBe('runtime_not_found');

    const anonymous = await openStream(host, runtime.id, null);
    expect(anonymous.status).toBe(401);
    await eventually(() => anonymous.ended(), Boolean, 'the 401 answer read');
    expect(JSON.parse(anonymous.body()).error.code).toBe('unauthenticated');
    expect(await outputClients()).toBe(0);
  });
});
