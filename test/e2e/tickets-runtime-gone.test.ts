import { describe, expect, it } from 'vitest';
import { json } from '../integration/helpers/fault-server.js';
import { describeResult, homeCli } from './helpers/cli.js';
import { addTicket, faultHost, HOST, runtimeObject, showTicket } from './helpers/pickup-env.js';

/**
 * `tickets list` and `tickets show` say when a working ticket's runtime on a host is gone or the
 * host cannot be read, instead of naming the runtime as if it worked on: a real HTTP host (the
 * fault server, answering as the runtime host API does), the built CLI, a real SQLite file.
 */

const RT = 'rt_9_gone01';

const rowOf = (text: string, key: string) =>
  text.split('\n').find((line) => line.startsWith(key)) ?? '';

describe('a working ticket whose runtime is on a host', () => {
  it('reads live, then gone when the host no longer lists it, then unreachable', async () => {
    const cr = await homeCli();
    const server = await faultHost(cr);
    let listed = [runtimeObject(RT, 'idle')];
    server.fault = (req, res, seen) => {
      if (seen.method === 'GET' && seen.url === '/v1/runtimes') {
        return json(200, { runtimes: listed })(req, res, seen);
      }
      if (seen.method === 'POST' && seen.url.endsWith('/send')) {
        return json(200, {
          messageId: 'm1',
          deliveredAt: new Date().toISOString(),
          runtime: runtimeObject(RT, 'busy'),
        })(req, res, seen);
      }
      json(404, { error: { code: 'not_found', message: 'no such route' } })(req, res, seen);
    };
    const key = await addTicket(cr, 'the index rebuild never ends');
    const picked = await cr('pickup', key, '--runtime', `${HOST}:${RT}`);
    expect(picked.code, describeResult(picked)).toBe(0);

    const live = await cr('tickets', 'list');
    expect(live.code, describeResult(live)).toBe(0);
    expect(rowOf(live.stdout, key)).toMatch(/in_progress\s+-\s+bb:sess-rt_9_gone01\s/);

    listed = [];
    const gone = await cr('tickets', 'list');
    expect(rowOf(gone.stdout, key)).toMatch(/in_progress\s+-\s+gone: bb:sess-rt_9/);
    expect((await cr('tickets', 'show', key)).stdout).toMatch(
      /^Runtime: +bb:sess-rt_9_gone01 · gone \(closed, or its tmux server ended\): pick the ticket up again/m,
    );

    await server.close();
    const down = await cr('tickets', 'list');
    expect(down.code, describeResult(down)).toBe(0);
    expect(rowOf(down.stdout, key)).toMatch(/in_progress\s+-\s+unreachable: bb:/);
    expect((await cr('tickets', 'show', key)).stdout).toMatch(
      /^Runtime: +bb:sess-rt_9_gone01 · host bb unreachable \(.+\): it may still be working/m,
    );
    // The ticket itself is not moved: only the operator can tell how far the work got.
    expect((await showTicket(cr, key)).state).toBe('in_progress');
  });

  it('a list with no working ticket reads no host', async () => {
    const cr = await homeCli();
    const server = await faultHost(cr);
    await addTicket(cr, 'nothing bound here');
    const listed = await cr('tickets', 'list');
    expect(listed.code, describeResult(listed)).toBe(0);
    expect(server.requests).toEqual([]);
  });
});
