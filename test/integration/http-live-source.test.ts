import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpLiveSource } from '../../src/adapters/http/index.js';
import type { OutputListener, ScreenWatchListener, WatchedScreen } from '../../src/domain/live.js';
import { apiError, type FaultServer, json, startFaultServer } from './helpers/fault-server.js';
import { liveHostPerTest } from './helpers/live-host.js';
import {
  healthy,
  openSse,
  RUNTIME_ID,
  route,
  screenJson,
  sseOutput,
  sseState,
  ticks,
} from './helpers/live-sse.js';
import { eventually } from './helpers/tmux-server.js';

/**
 * HttpLiveSource against a real runtime host (`host serve`'s server over a private tmux server),
 * then against a scripted one for what a real host will not do on demand: end a stream early,
 * drop output, answer a screen slowly.
 */

const live = liveHostPerTest();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const work of cleanups.splice(0).reverse()) await work();
});

function outputs() {
  const chunks: Buffer[] = [];
  const dropped: number[] = [];
  const ended: string[] = [];
  const listener: OutputListener = {
    data: (bytes) => chunks.push(bytes),
    dropped: (bytes) => dropped.push(bytes),
    ended: (reason) => ended.push(reason),
  };
  return { listener, dropped, ended, text: () => Buffer.concat(chunks).toString('utf8') };
}

function screens() {
  const seen: WatchedScreen[] = [];
  const ended: string[] = [];
  const listener: ScreenWatchListener = {
    screen: (screen) => seen.push(screen),
    ended: (reason) => ended.push(reason),
  };
  return { listener, seen, ended, lines: () => seen.at(-1)?.lines ?? [] };
}

describe('HttpLiveSource against a real host', () => {
  it('streams the output bytes of a runtime, and ends with exited when it ends', async () => {
    const host = await live.start();
    const runtime = await host.runtime('out', 'read x; echo "hello-$x"; sleep 30');
    const out = outputs();
    cleanups.push(host.source().output(runtime.id, out.listener));
    await eventually(
      () => host.outputClients(),
      (n) => n === 1,
      'the stream attached',
    );
    await host.type(runtime, 'world');
    await eventually(out.text, (text) => text.includes('hello-world'), 'hello-world in the bytes');
    expect(out.ended).toEqual([]);

    await host.tmux('kill-session', '-t', runtime.name);
    await eventually(
      () => out.ended,
      (ended) => ended.length > 0,
      'the end',
    );
    expect(out.ended).toEqual(['exited']);
  });

  it('shows a line printed in the runtime on the watched screen', async () => {
    const host = await live.start();
    const runtime = await host.runtime('scr', 'read x; echo "screen-$x"; sleep 30');
    const watched = screens();
    const watch = host.source().watchScreen(runtime.id, watched.listener);
    cleanups.push(() => watch.stop());
    // The first read happens at once, before any output.
    await eventually(
      () => watched.seen.length,
      (n) => n > 0,
      'the first screen',
    );
    expect(watched.seen[0]).toMatchObject({ cols: 80, rows: 24, history: 0, scroll: 0 });
    await eventually(
      () => host.outputClients(),
      (n) => n === 1,
      'the stream attached',
    );
    await host.type(runtime, 'abc');
    await eventually(
      watched.lines,
      (lines) => lines.some((line) => line.includes('screen-abc')),
      'screen-abc on the watched screen',
    );
    // No scrollback in version 1: any offset is clamped to the live screen.
    watch.scrollTo(10);
    expect(watched.seen.every((s) => s.scroll === 0 && s.history === 0)).toBe(true);
    expect(watched.ended).toEqual([]);
  });

  it('ends with auth for a wrong token, and never says the token', async () => {
    const host = await live.start();
    const runtime = await host.runtime('auth', 'sleep 30');
    const wrong = `read-${'0'.repeat(32)}`;
    const source = host.source({ token: wrong });
    const out = outputs();
    cleanups.push(source.output(runtime.id, out.listener));
    const watched = screens();
    const watch = source.watchScreen(runtime.id, watched.listener);
    cleanups.push(() => watch.stop());
    await eventually(
      () => out.ended.length + watched.ended.length,
      (n) => n === 2,
      'both ended',
    );
    for (const reason of [...out.ended, ...watched.ended]) {
      expect(reason).toMatch(/^auth 401: /);
      expect(reason).not.toContain(wrong);
      expect(reason).not.toContain(host.token);
    }
    expect(watched.seen).toEqual([]);
  });

  it('ends with not_found for an unknown runtime', async () => {
    const host = await live.start();
    const source = host.source();
    const out = outputs();
    cleanups.push(source.output('rt_999_zzzz', out.listener));
    const watched = screens();
    const watch = source.watchScreen('rt_999_zzzz', watched.listener);
    cleanups.push(() => watch.stop());
    await eventually(
      () => out.ended.length + watched.ended.length,
      (n) => n === 2,
      'both ended',
    );
    expect(out.ended[0]).toMatch(/^not_found 404: /);
    expect(watched.ended).toHaveLength(1);
    expect(watched.ended[0]).toMatch(/^not_found 404: /);
  });

  it('closes the request on unsubscribe: the host sees the stream close', async () => {
    const host = await live.start();
    const runtime = await host.runtime('unsub', 'sleep 30');
    const out = outputs();
    const unsubscribe = host.source().output(runtime.id, out.listener);
    await eventually(
      () => host.outputClients(),
      (n) => n === 1,
      'the stream attached',
    );
    const path = `/v1/runtimes/${runtime.id}/output`;
    // The access log writes a request's line when its answer closes.
    expect(host.access.some((entry) => entry.path === path)).toBe(false);
    unsubscribe();
    await eventually(
      () => host.access.find((entry) => entry.path === path),
      (entry) => entry?.status === 200,
      'the stream closed on the host',
    );
    await eventually(
      () => host.outputClients(),
      (n) => n === 0,
      'the output client stopped',
    );
    expect(out.ended).toEqual([]);
  });

  it('ends with unreachable when the host goes away', async () => {
    const host = await live.start();
    const runtime = await host.runtime('gone', 'sleep 30');
    const out = outputs();
    cleanups.push(host.source().output(runtime.id, out.listener));
    await eventually(
      () => host.outputClients(),
      (n) => n === 1,
      'the stream attached',
    );
    await host.server.close();
    await eventually(
      () => out.ended,
      (ended) => ended.length > 0,
      'the end',
    );
    expect(out.ended).toHaveLength(1);
    expect(out.ended[0]).toMatch(/^unreachable: /);
  });
});

describe('HttpLiveSource against a scripted host', () => {
  async function scripted(): Promise<FaultServer> {
    const server = await startFaultServer();
    cleanups.unshift(() => server.close());
    return server;
  }
  const calls = (server: FaultServer, name: string) =>
    server.requests.filter((r) => r.url.endsWith(`/${name}`)).length;
  const endAtOnce = (_req: unknown, res: ServerResponse) => {
    openSse(res);
    res.end();
  };
  const source = (server: FaultServer, extra = {}) =>
    new HttpLiveSource({ host: 'fake', baseUrl: `${server.url}/pre/`, token: 't0k', ...extra });

  it('reopens a stream that ended while the host is up, and keeps the listener', async () => {
    const server = await scripted();
    let opens = 0;
    server.fault = route({
      health: healthy,
      output: (_req, res) => {
        opens += 1;
        openSse(res);
        if (opens === 1) {
          sseState(res, 'busy');
          sseOutput(res, 'one');
          res.end();
        } else sseOutput(res, 'two');
      },
    });
    const out = outputs();
    cleanups.push(source(server, { reconnectDelayMs: 5 }).output(RUNTIME_ID, out.listener));
    await eventually(out.text, (text) => text === 'onetwo', 'both streams');
    expect(out.ended).toEqual([]);
    expect(server.requests.map((r) => r.url)).toEqual([
      `/pre/v1/runtimes/${RUNTIME_ID}/output`,
      '/pre/v1/health',
      `/pre/v1/runtimes/${RUNTIME_ID}/output`,
    ]);
    expect(server.requests[0]?.headers).toMatchObject({
      authorization: 'Bearer t0k',
      accept: 'text/event-stream',
    });
  });

  it('gives up after the reopenings allowed, with the last reason', async () => {
    const server = await scripted();
    server.fault = route({ health: healthy, output: endAtOnce });
    const out = outputs();
    const options = { reconnectDelayMs: 5, reconnectAttempts: 2 };
    cleanups.push(source(server, options).output(RUNTIME_ID, out.listener));
    await eventually(
      () => out.ended,
      (ended) => ended.length > 0,
      'the end',
    );
    expect(out.ended).toEqual(['post_send: the host closed the stream']);
    expect([calls(server, 'output'), calls(server, 'health')]).toEqual([3, 2]);
  });

  it('does not reopen when the health check fails, and says why', async () => {
    const server = await scripted();
    server.fault = route({
      health: apiError(503, 'shutting_down', 'the host is shutting down'),
      output: endAtOnce,
    });
    const out = outputs();
    cleanups.push(source(server, { reconnectDelayMs: 5 }).output(RUNTIME_ID, out.listener));
    await eventually(
      () => out.ended,
      (ended) => ended.length > 0,
      'the end',
    );
    expect(out.ended).toEqual(['server 503: the host is shutting down']);
    expect(calls(server, 'output')).toBe(1);
  });

  it('reports dropped bytes, and ends once on a runtime that exited', async () => {
    const server = await scripted();
    server.fault = route({
      output: (_req, res) => {
        openSse(res);
        res.write('event: dropped\ndata: {"bytes":512}\n\n');
        sseOutput(res, 'after');
        sseState(res, 'exited');
        res.end();
      },
    });
    const out = outputs();
    cleanups.push(source(server).output(RUNTIME_ID, out.listener));
    await eventually(
      () => out.ended,
      (ended) => ended.length > 0,
      'the end',
    );
    expect([out.dropped, out.text(), out.ended]).toEqual([[512], 'after', ['exited']]);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an answer that is not an event stream, and a bad id without a request', async () => {
    const server = await scripted();
    server.fault = route({ output: json(200, { lines: [] }) });
    const out = outputs();
    cleanups.push(source(server).output(RUNTIME_ID, out.listener));
    const bad = outputs();
    cleanups.push(source(server).output('../health', bad.listener));
    await eventually(
      () => out.ended.length + bad.ended.length,
      (n) => n === 2,
      'both ended',
    );
    expect(out.ended).toEqual(['server 200: the answer is not an event stream']);
    expect(bad.ended[0]).toMatch(/^invalid: runtime id/);
    expect(server.requests).toHaveLength(1);
  });
  it('ends at once on a refusal, with the token blotted out of what the host said', async () => {
    const server = await scripted();
    server.fault = route({
      health: healthy,
      output: apiError(403, 'forbidden', 'token t0k may not read this'),
    });
    const out = outputs();
    cleanups.push(source(server).output(RUNTIME_ID, out.listener));
    await eventually(
      () => out.ended,
      (ended) => ended.length > 0,
      'the end',
    );
    expect(out.ended).toEqual(['auth 403: token [redacted] may not read this']);
    expect(server.requests).toHaveLength(1);
  });
});

describe('HttpLiveSource screen pacing', () => {
  /** A host whose screen takes `delayMs` to answer; it notes when each read came and how many overlapped. */
  async function screenHost(delayMs: number) {
    const server = await startFaultServer();
    cleanups.unshift(() => server.close());
    const state = { lines: ['\x1b[31mred\x1b[0m', 'ok\x1b]52;c;aGk=\x07'], inFlight: 0, most: 0 };
    const reads: number[] = [];
    const streams: ServerResponse[] = [];
    server.fault = route({
      output: (_req, res) => {
        openSse(res);
        streams.push(res);
      },
      screen: (req, res, seen) => {
        reads.push(performance.now());
        state.inFlight += 1;
        state.most = Math.max(state.most, state.inFlight);
        setTimeout(() => {
          state.inFlight -= 1;
          json(200, screenJson(state.lines))(req, res, seen);
        }, delayMs);
      },
    });
    const mark = () => {
      for (const res of streams) sseOutput(res, 'x');
    };
    return { server, state, reads, streams, mark };
  }

  it('reads at most every interval, one at a time, and emits a screen once until it changes', async () => {
    const host = await screenHost(30);
    const watched = screens();
    const watch = new HttpLiveSource({
      host: 'fake',
      baseUrl: host.server.url,
      token: 'tok-screen',
    });
    const handle = watch.watchScreen(RUNTIME_ID, watched.listener);
    cleanups.push(() => handle.stop());
    await eventually(
      () => host.streams.length,
      (n) => n === 1,
      'the stream open',
    );
    const started = performance.now();
    await ticks(120, 5, host.mark);
    const elapsed = performance.now() - started;
    await eventually(
      () => host.state.inFlight,
      (n) => n === 0,
      'the last read answered',
    );
    // Arrivals are timed on the server, in this same busy process, so they jitter; but an
    // unpaced reader (one read after another, 30 ms each) would come every ~30 ms, far more often.
    const gaps = host.reads.slice(1).map((at, i) => at - (host.reads[i] as number));
    expect(host.reads.length).toBeGreaterThanOrEqual(4);
    expect(host.reads.length).toBeLessThanOrEqual(Math.ceil(elapsed / 80) + 2);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
    expect(host.state.most).toBe(1);
    // The same screen every time: emitted once, its lines without any escape sequence.
    expect(watched.seen).toHaveLength(1);
    expect(watched.seen[0]?.lines).toEqual(['red', 'ok']);

    host.state.lines = ['changed'];
    host.mark();
    await eventually(watched.lines, (lines) => lines[0] === 'changed', 'the changed screen');
    expect(watched.seen).toHaveLength(2);
  });

  it('reads at once on the first change after a quiet spell, and not at all while quiet', async () => {
    const host = await screenHost(0);
    const watched = screens();
    const source = new HttpLiveSource({
      host: 'fake',
      baseUrl: host.server.url,
      token: 'tok-screen',
      screenIntervalMs: 250,
    });
    const handle = source.watchScreen(RUNTIME_ID, watched.listener);
    cleanups.push(() => handle.stop());
    await eventually(
      () => host.streams.length,
      (n) => n === 1,
      'the stream open',
    );
    await eventually(
      () => host.reads.length,
      (n) => n === 1,
      'the read on start',
    );
    host.mark();
    await eventually(
      () => host.reads.length,
      (n) => n === 2,
      'the paced read',
    );
    expect((host.reads[1] as number) - (host.reads[0] as number)).toBeGreaterThanOrEqual(230);
    // Quiet for longer than the interval: time must pass to show that nothing is read.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(host.reads).toHaveLength(2);
    const marked = performance.now();
    host.mark();
    await eventually(
      () => host.reads.length,
      (n) => n === 3,
      'the leading-edge read',
    );
    expect((host.reads[2] as number) - marked).toBeLessThan(200);
  });

  it('ends the watch when the screen read says the runtime is gone', async () => {
    const host = await screenHost(0);
    host.server.fault = route({
      output: (_req, res) => openSse(res),
      screen: apiError(404, 'runtime_not_found', 'no runtime rt_1_live'),
    });
    const watched = screens();
    const source = new HttpLiveSource({
      host: 'fake',
      baseUrl: host.server.url,
      token: 'tok-screen',
    });
    const handle = source.watchScreen(RUNTIME_ID, watched.listener);
    cleanups.push(() => handle.stop());
    await eventually(
      () => watched.ended,
      (ended) => ended.length > 0,
      'the end',
    );
    expect(watched.ended).toEqual(['not_found 404: no runtime rt_1_live']);
  });
});
