import type { ServerResponse } from 'node:http';
import type { Fault } from './fault-server.js';
import { apiError, json } from './fault-server.js';

/**
 * Pieces of a scripted runtime host for the live source's tests, on top of the fault server:
 * an output stream written by hand, a health answer, and a router by path.
 */

export const RUNTIME_ID = 'rt_1_live';

export function runtimeJson(state: string): Record<string, unknown> {
  return {
    id: RUNTIME_ID,
    name: 'live',
    profile: null,
    cwd: '/tmp',
    state,
    ticket: null,
    createdAt: '2026-01-01T00:00:00Z',
    lastActivityAt: '2026-01-01T00:00:00Z',
    command: 'sh',
  };
}

/** Starts an event-stream answer; the headers go out at once. */
export function openSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
}

export function sseOutput(res: ServerResponse, text: string | Buffer): void {
  res.write(`event: output\ndata: ${Buffer.from(text).toString('base64')}\n\n`);
}

export function sseState(res: ServerResponse, state: string): void {
  res.write(`event: state\ndata: ${JSON.stringify(runtimeJson(state))}\n\n`);
}

export const healthy: Fault = json(200, { ok: true, version: '1.0.0', tmux: 'tmux 3.3a' });

/** A screen answer in the contract's shape. */
export function screenJson(lines: string[]): Record<string, unknown> {
  return { cols: 80, rows: 24, lines, cursor: { x: 0, y: lines.length } };
}

/** Dispatches on the path's last segment (`health`, `output`, `screen`); the rest is 404. */
export function route(table: Partial<Record<'health' | 'output' | 'screen', Fault>>): Fault {
  return (req, res, seen) => {
    const last = (seen.url.split('?')[0] ?? '').split('/').at(-1) as keyof typeof table;
    const fault = table[last] ?? apiError(404, 'not_found', 'no such call');
    fault(req, res, seen);
  };
}

/** Resolves after `count` calls of `tick`, one every `everyMs`: a steady stream of output. */
export function ticks(count: number, everyMs: number, tick: (n: number) => void): Promise<void> {
  return new Promise((resolve) => {
    let n = 0;
    const timer = setInterval(() => {
      tick(n);
      n += 1;
      if (n === count) {
        clearInterval(timer);
        resolve();
      }
    }, everyMs);
  });
}
