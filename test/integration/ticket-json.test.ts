import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/adapters/db/database.js';
import { TicketRepository } from '../../src/adapters/db/ticket-repository.js';
import type { Ticket } from '../../src/domain/index.js';

// `tickets list --json` is built by SQLite (ticket-json.ts) and `list()` in JavaScript
// (ticket-rows.ts); this holds the two to the same tickets, field for field and in order.
let dir: string;
let db: Db;
let repo: TicketRepository;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cr-json-'));
  db = openDatabase(join(dir, 'control-room.db'));
  repo = new TicketRepository(db, join(dir, 'control-room.db'), 'CR');
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function bindAndFail(key: string): void {
  const ticket = repo.get(key) as Ticket;
  const changed: Ticket = {
    ...ticket,
    state: 'in_progress',
    runtime: { host: 'buildbox', id: 'rt_1', name: 'mc-1', adopted: true },
    lastError: {
      kind: 'auth',
      status: 403,
      host: 'buildbox',
      message: 'no "send" scope\n',
      at: ticket.createdAt,
    },
    updatedAt: '2026-11-25T08:00:00Z',
  };
  repo.save(changed, [
    { at: '2026-11-25T08:00:00Z', type: 'send_failed', text: 'auth 403 from buildbox' },
  ]);
  db.prepare(
    `INSERT INTO messages (id, ticket_seq, host, runtime_id, text, idempotency_key, state, error, created_at, updated_at)
     SELECT ?, seq, 'buildbox', 'rt_1', 'prompt', ?, 'failed', 'auth', '2026-11-25T08:00:00Z', '2026-11-25T08:00:00Z'
     FROM tickets WHERE key = ?`,
  ).run(`msg_${key}`, `idem_${key}`, key);
}

describe('tickets as JSON', () => {
  it('match list() exactly, for plain, bound, failed and odd-text tickets', () => {
    repo.add({ title: 'plain' }, '2026-11-25T07:00:00Z');
    repo.add(
      {
        title: 'odd \u001b[31m"quoted"\u001b[0m \u202e text ✓ 日本',
        severity: 'critical',
        body: 'line one\nline two\ttabbed \\ backslash',
        suggestedFix: 'fix it',
        location: 'src/a.ts:1',
        owner: 'ops',
        sourceHash: 'abc123',
      },
      '2026-11-25T07:01:00Z',
    );
    repo.add({ title: 'bound then failed', key: 'OPS-9', state: 'review' }, '2026-11-25T07:02:00Z');
    bindAndFail('OPS-9');

    const fromJson = [...repo.listJson()].map((text) => JSON.parse(text));
    expect(fromJson).toEqual(repo.list());
    // Same key order too, so the two outputs are interchangeable byte for byte once formatted.
    expect([...repo.listJson()].map((t) => JSON.stringify(JSON.parse(t)))).toEqual(
      repo.list().map((t) => JSON.stringify(t)),
    );
    expect(fromJson.map((t) => t.key)).toEqual(['OPS-9', 'CR-2', 'CR-1']);
  });

  it('filter by state like list()', () => {
    repo.add({ title: 'a' }, '2026-11-25T07:00:00Z');
    repo.add({ title: 'b', state: 'done' }, '2026-11-25T07:00:00Z');
    const done = [...repo.listJson({ state: 'done' })].map((text) => JSON.parse(text));
    expect(done).toEqual(repo.list({ state: 'done' }));
    expect(done).toHaveLength(1);
  });
});
