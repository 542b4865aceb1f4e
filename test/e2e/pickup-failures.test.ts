import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiError, type Fault, freePort, json } from '../integration/helpers/fault-server.js';
import { describeResult, homeCli, parseJson } from './helpers/cli.js';
import {
  addTicket,
  eventTypes,
  faultHost,
  HOST,
  type PickupTicket,
  runtimeObject,
  sendsSeen,
  showTicket,
  TOKEN,
} from './helpers/pickup-env.js';

/**
 * `control-room pickup KEY --runtime bb:rt_…` against a fault-injecting runtime host: every row of
 * `runtime-api.md`'s failure table, through the built CLI, with the exit code of `cli.md`, the
 * ticket JSON it prints, what is stored, and the sends the host saw (the retry policy).
 */

const RT = 'rt_7_abc123';
const TITLE = 'the widget leaks file handles';

interface Row {
  name: string;
  /** How the host answers each send; nothing set: the host's port is closed. */
  fault: Fault | null;
  attempts: number;
  sendTimeoutMs?: number | undefined;
  exit: 3 | 4;
  kind: string | null;
  status: number | null;
  message: 'pending' | 'failed' | 'unknown';
  /** Sends the host saw, all with one idempotency key. */
  sends: number;
  /** `send_retrying` events on the timeline. */
  retries: number;
}

const never: Fault = () => {
  // The body was read; no answer ever comes (the test's server closes the socket at the end).
};
const hangUp: Fault = (_req, res) => {
  res.socket?.destroy();
};
const BUSY = apiError(409, 'runtime_busy', 'runtime is working', {
  runtime: runtimeObject(RT, 'busy'),
});

/** One row; `kind` null is the busy answer (exit 3), any other kind exits 4. */
function row(
  name: string,
  fault: Fault | null,
  attempts: number,
  kind: string | null,
  status: number | null,
  message: Row['message'],
  sends: number,
  retries: number,
  sendTimeoutMs?: number,
): Row {
  const exit = kind === null ? 3 : 4;
  return { name, fault, attempts, kind, status, message, sends, retries, exit, sendTimeoutMs };
}

const err = apiError;
// name, the host's answer, --attempts, kind, status, message state, sends seen, retries
const ROWS: Row[] = [
  row('409 busy', BUSY, 3, null, null, 'pending', 1, 0),
  row('401', err(401, 'unauthenticated', 'unknown token'), 3, 'auth', 401, 'failed', 1, 0),
  row('403', err(403, 'forbidden', 'no send scope'), 3, 'auth', 403, 'failed', 1, 0),
  row('500', err(500, 'internal', 'it broke'), 1, 'server', 500, 'failed', 1, 0),
  row('503 three times', err(503, 'unavailable', 'later'), 3, 'server', 503, 'failed', 3, 2),
  row('timeout after the body went out', never, 1, 'timeout', null, 'unknown', 1, 0, 300),
  row('post_send (hang-up after the request)', hangUp, 2, 'post_send', null, 'unknown', 2, 1),
  row('unreachable (closed port)', null, 2, 'unreachable', null, 'failed', 0, 1),
  row('404', err(404, 'runtime_not_found', 'no such runtime'), 3, 'not_found', 404, 'failed', 1, 0),
  row('400', err(400, 'invalid_request', 'bad body'), 3, 'invalid', 400, 'failed', 1, 0),
  row('413', err(413, 'text_too_large', 'too large'), 3, 'invalid', 413, 'failed', 1, 0),
  row('422', err(422, 'unknown_profile', 'no such profile'), 3, 'invalid', 422, 'failed', 1, 0),
];

interface OutboxRow {
  id: string;
  ticketKey: string;
  state: string;
  sendingBy: string | null;
  idempotencyKey: string;
}

describe('pickup on a failing host', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const cr = await homeCli();
    const url = row.fault === null ? `http://127.0.0.1:${await freePort()}` : undefined;
    const server = await faultHost(cr, url);
    if (row.fault) server.fault = row.fault;
    const key = await addTicket(cr, TITLE);

    const result = await cr(
      '--json',
      ...(row.sendTimeoutMs ? ['--send-timeout', String(row.sendTimeoutMs)] : []),
      'pickup',
      key,
      '--runtime',
      `${HOST}:${RT}`,
      '--attempts',
      String(row.attempts),
    );
    expect(result.code, describeResult(result)).toBe(row.exit);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    const ticket = parseJson<PickupTicket>(result);
    expect(ticket.key).toBe(key);

    if (row.kind === null) {
      // Busy: the only answer that adopts; the message waits for the runtime.
      expect(ticket.state).toBe('in_progress');
      expect(ticket.runtime).toEqual({ host: HOST, id: RT, name: `sess-${RT}`, adopted: true });
      expect(ticket.lastError).toBeNull();
      expect(eventTypes(ticket)).toContain('runtime_adopted');
      expect(eventTypes(ticket)).not.toContain('send_failed');
      expect(result.stderr).toMatch(/busy/);
    } else {
      expect(ticket.state).toBe('todo');
      expect(ticket.runtime).toBeNull();
      expect(ticket.lastError).toMatchObject({ kind: row.kind, status: row.status, host: HOST });
      expect(eventTypes(ticket)).toContain('send_failed');
      expect(eventTypes(ticket)).not.toContain('runtime_adopted');
      expect(result.stderr).toContain(row.kind);
    }
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]).toMatchObject({
      state: row.message,
      runtime: `${HOST}:${RT}`,
      error: row.kind,
    });
    expect(eventTypes(ticket).filter((t) => t === 'send_retrying')).toHaveLength(row.retries);

    // The host saw what the retry policy implies, every attempt with the same key.
    const sends = sendsSeen(server);
    expect(sends).toHaveLength(row.sends);
    expect(new Set(sends.map((s) => s.body.idempotencyKey)).size).toBe(Math.min(1, row.sends));
    for (const send of sends) {
      expect(send.url).toBe(`/v1/runtimes/${RT}/send`);
      expect(send.authorization).toBe(`Bearer ${TOKEN}`);
      expect(send.body.text).toContain(TITLE);
      expect(send.body.idempotencyKey.length).toBeGreaterThan(0);
    }
    expect(server.requests.filter((r) => r.method !== 'GET')).toHaveLength(row.sends);

    // What was printed is what was stored.
    expect(await showTicket(cr, key)).toEqual(ticket);
    const outbox = await cr('--json', 'outbox', 'list');
    expect(outbox.code, describeResult(outbox)).toBe(0);
    const messages = parseJson<OutboxRow[]>(outbox);
    expect(messages).toEqual([
      expect.objectContaining({ id: ticket.messages[0]?.id, ticketKey: key, state: row.message }),
    ]);
    // Nobody holds it: a pending one is free for the dispatcher, a settled one for nobody.
    expect(messages[0]?.sendingBy).toBeNull();
    if (row.sends > 0) expect(messages[0]?.idempotencyKey).toBe(sends[0]?.body.idempotencyKey);
  });

  it('503, 503, then 200: delivered on the third attempt with the same key', async () => {
    const cr = await homeCli();
    const server = await faultHost(cr);
    let sends = 0;
    server.fault = (req, res, seen) => {
      if (seen.method !== 'POST') return json(404, {})(req, res, seen);
      sends += 1;
      if (sends <= 2) return apiError(503, 'unavailable', 'warming up')(req, res, seen);
      json(200, {
        messageId: 'm1',
        deliveredAt: new Date().toISOString(),
        runtime: runtimeObject(RT, 'busy'),
      })(req, res, seen);
    };
    const key = await addTicket(cr, TITLE);

    const result = await cr(
      '--json',
      'pickup',
      key,
      '--runtime',
      `${HOST}:${RT}`,
      '--attempts',
      '3',
    );
    expect(result.code, describeResult(result)).toBe(0);
    const ticket = parseJson<PickupTicket>(result);
    expect(ticket.state).toBe('in_progress');
    expect(ticket.runtime).toEqual({ host: HOST, id: RT, name: `sess-${RT}`, adopted: false });
    expect(ticket.lastError).toBeNull();
    expect(ticket.messages).toEqual([
      expect.objectContaining({ state: 'delivered', runtime: `${HOST}:${RT}`, error: null }),
    ]);
    const types = eventTypes(ticket);
    expect(types.filter((t) => t === 'send_retrying')).toHaveLength(2);
    expect(types).toContain('send_delivered');
    expect(types).not.toContain('send_failed');

    const seen = sendsSeen(server);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.body.idempotencyKey)).size).toBe(1);
    expect(await showTicket(cr, key)).toEqual(ticket);
  });

  it('uses the config file’s sendAttempts when --attempts is not given', async () => {
    const cr = await homeCli();
    await writeFile(join(cr.home, 'config.yaml'), 'sendAttempts: 2\n');
    const server = await faultHost(cr);
    server.fault = apiError(500, 'internal', 'it broke');
    const key = await addTicket(cr, TITLE);
    const result = await cr('--json', 'pickup', key, '--runtime', `${HOST}:${RT}`);
    expect(result.code, describeResult(result)).toBe(4);
    expect(sendsSeen(server)).toHaveLength(2);
  });
});
