import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../integration/helpers/tmux-server.js';
import {
  get,
  type RawConnection,
  rawConnection,
  startHostProcess,
} from './helpers/host-process.js';

/**
 * `host serve` as a real process against connections that hold it: many idle ones, more than it
 * serves at once, and a body trickled in byte by byte. Outcomes only (answered, refused, closed),
 * each polled with a deadline; how long a slow body is held is measured by
 * `bench/host-slow-body.mjs`, not here.
 */

const TOKEN = `send-${randomBytes(16).toString('hex')}`;
const TOKENS = `read,send ${TOKEN} ci-bot\n`;
const connections: RawConnection[] = [];
afterEach(() => {
  for (const c of connections.splice(0)) c.socket.destroy();
});

async function open(port: number, count: number): Promise<RawConnection[]> {
  const made: RawConnection[] = [];
  // In batches, so that the kernel's accept queue never overflows into retried SYNs.
  for (let i = 0; i < count; i += 100) {
    const batch = Math.min(100, count - i);
    made.push(...(await Promise.all(Array.from({ length: batch }, () => rawConnection(port)))));
  }
  connections.push(...made);
  return made;
}

/** Headers of a send whose body never comes, with `Expect: 100-continue`: the host answers
 * `100 Continue` once the request is its handler's, so the connection has a request in progress. */
function sendHeaders(length: number): string {
  return [
    'POST /v1/runtimes/rt_1_x/send HTTP/1.1',
    'host: 127.0.0.1',
    `authorization: Bearer ${TOKEN}`,
    'content-type: application/json',
    `content-length: ${length}`,
    'expect: 100-continue',
    '',
    '',
  ].join('\r\n');
}

describe('host serve under connections that hold it', () => {
  it('answers a request while 1,100 idle connections are open, closing the oldest idle ones', async () => {
    // The usual soft limit of open files on Linux: without a cap, 1,100 idle connections use it up.
    const host = await startHostProcess({ tokens: TOKENS, openFiles: 1024 });
    const idle = await open(host.port, 1100);
    const health = await get(`${host.url}/v1/health`, TOKEN);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true });
    expect((await get(`${host.url}/v1/runtimes`, TOKEN)).status).toBe(200);
    // Past the default cap of 256, the idle connections were the ones to go, oldest first.
    const stillOpen = await eventually(
      () => idle.filter((c) => !c.closed()).length,
      (left) => left <= 256,
      'at most 256 idle connections left open',
    );
    expect(idle.at(-1)?.closed()).toBe(false);
    expect(stillOpen).toBeGreaterThan(0);
  });

  it('over --max-connections answers 503 too_many_connections at once, and serves again when one frees', async () => {
    const host = await startHostProcess({ tokens: TOKENS, args: ['--max-connections', '3'] });
    const busy = await open(host.port, 3);
    for (const c of busy) c.socket.write(sendHeaders(64));
    await eventually(
      () => busy.map((c) => c.received()),
      (seen) => seen.every((text) => text.startsWith('HTTP/1.1 100 Continue')),
      'the three requests in progress',
    );

    const refused = await get(`${host.url}/v1/health`, TOKEN);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: { code: 'too_many_connections' } });
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers.connection).toBe('close');
    // The requests in progress were not touched.
    expect(busy.every((c) => !c.closed())).toBe(true);
    await eventually(
      () => host.stderr(),
      (text) => /"event":"connections_refused","count":\d+,"maxConnections":3/.test(text),
      'the refusal logged',
    );

    busy[0]?.socket.destroy();
    const served = await eventually(
      () => get(`${host.url}/v1/health`, TOKEN),
      (reply) => reply.status === 200,
      'a request served once a connection freed',
    );
    expect(served.body).toMatchObject({ ok: true });
  });

  it('cuts a body trickled one byte a second with 408 once --request-timeout has passed', async () => {
    const host = await startHostProcess({ tokens: TOKENS, args: ['--request-timeout', '3000'] });
    const [slow] = await open(host.port, 1);
    if (!slow) throw new Error('no connection');
    slow.socket.write(sendHeaders(1000));
    const trickle = setInterval(() => {
      if (!slow.closed()) slow.socket.write('{');
    }, 1000);
    try {
      // Node's own check (every 30 s) let a 3 s limit run to 30 s; the bound is limit + 1 s.
      await eventually(() => slow.closed(), Boolean, 'the slow request closed', 15_000);
    } finally {
      clearInterval(trickle);
    }
    expect(slow.received()).toMatch(/HTTP\/1\.1 408 Request Timeout/);
    expect(slow.received()).toContain('"code":"request_timeout"');
    await eventually(
      () => host.stderr(),
      (text) => /"path":"\/v1\/runtimes\/rt_1_x\/send","status":408/.test(text),
      'the cut request logged as 408',
    );
    // The host goes on serving.
    expect((await get(`${host.url}/v1/health`, TOKEN)).status).toBe(200);
  });
});
