import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { type ImportItem, TicketRepository } from '../../src/adapters/db/ticket-repository.js';
import { type AppError, AppFailure, TICKET_FIELD_LIMITS } from '../../src/domain/index.js';
import { applyStateChange } from '../../src/services/ticket-state.js';
import { tempDirsPerTest, thrownBy } from './helpers/temp-dir.js';

const T0 = '2026-11-25T06:00:00Z';
const T1 = '2026-11-25T06:01:00Z';
const T2 = '2026-11-25T06:02:00Z';
const T3 = '2026-11-25T06:03:00Z';

const temp = tempDirsPerTest();

function openRepository(prefix = 'CR') {
  const file = path.join(temp.make(), 'control-room.db');
  const db = temp.closeLater(openDatabase(file));
  return { file, db, repo: new TicketRepository(db, file, prefix) };
}

function appErrorOf(work: () => unknown): AppError {
  const failure = thrownBy(work);
  expect(failure).toBeInstanceOf(AppFailure);
  return (failure as AppFailure).error;
}

describe('TicketRepository.add', () => {
  it('assigns CR-1, CR-2 in order, with defaults and a created event', () => {
    const { repo } = openRepository();

    const first = repo.add({ title: 'first' }, T0);
    const second = repo.add({ title: 'second', severity: 'critical', state: 'review' }, T1);

    expect(first).toEqual({
      key: 'CR-1',
      title: 'first',
      severity: 'medium',
      state: 'todo',
      owner: null,
      location: null,
      flaggedBy: null,
      sourceHash: null,
      body: '',
      suggestedFix: null,
      runtime: null,
      lastError: null,
      messages: [],
      events: [{ at: T0, type: 'created', text: 'created' }],
      createdAt: T0,
      updatedAt: T0,
    });
    expect(second).toMatchObject({ key: 'CR-2', severity: 'critical', state: 'review' });
    expect(second.events).toEqual([{ at: T1, type: 'created', text: 'created' }]);
    expect(repo.get('CR-1')).toEqual(first);
    expect(repo.count()).toBe(2);
  });

  it('takes the prefix of assigned keys from its constructor', () => {
    const { repo } = openRepository('OPS');

    expect(repo.add({ title: 'a' }, T0).key).toBe('OPS-1');
    expect(repo.add({ title: 'b' }, T0).key).toBe('OPS-2');
    // A key of another prefix does not move this prefix's counter.
    expect(repo.add({ key: 'CR-40', title: 'c' }, T0).key).toBe('CR-40');
    expect(repo.add({ title: 'd' }, T0).key).toBe('OPS-3');
  });

  it('moves the counter past an explicit key, and never back', () => {
    const { repo } = openRepository();
    repo.add({ title: 'assigned' }, T0);

    expect(repo.add({ key: 'CR-7', title: 'explicit' }, T1).key).toBe('CR-7');
    expect(repo.add({ title: 'after it' }, T1).key).toBe('CR-8');
    expect(repo.add({ key: 'CR-3', title: 'a lower one' }, T1).key).toBe('CR-3');
    expect(repo.add({ title: 'still counting up' }, T1).key).toBe('CR-9');
  });

  it('refuses a key that exists already, in any case, as a conflict that writes nothing', () => {
    const { repo } = openRepository();
    repo.add({ key: 'CR-7', title: 'the original' }, T0);

    const error = appErrorOf(() => repo.add({ key: 'cr-7', title: 'a copy' }, T1));

    expect(error).toMatchObject({ kind: 'conflict' });
    expect(error.message).toContain('CR-7');
    expect(repo.count()).toBe(1);
    expect(repo.get('CR-7')?.title).toBe('the original');
    expect(repo.add({ title: 'next' }, T1).key).toBe('CR-8');
  });
});

describe('TicketRepository reads', () => {
  it('gets a ticket by its key in any case', () => {
    const { repo } = openRepository();
    repo.add({ key: 'Ops-12', title: 'mixed case' }, T0);

    expect(repo.get('ops-12')?.key).toBe('Ops-12');
    expect(repo.get('OPS-12')?.title).toBe('mixed case');
    expect(repo.get('OPS-13')).toBeUndefined();
  });

  it('lists newest first and filters by state', () => {
    const { repo } = openRepository();
    repo.add({ title: 'a' }, T0);
    repo.add({ title: 'b', state: 'review' }, T1);
    repo.add({ title: 'c' }, T2);
    repo.add({ title: 'd', state: 'done' }, T3);

    expect(repo.list().map((t) => t.key)).toEqual(['CR-4', 'CR-3', 'CR-2', 'CR-1']);
    expect(repo.list({ state: 'todo' }).map((t) => t.key)).toEqual(['CR-3', 'CR-1']);
    expect(repo.list({ state: 'review' }).map((t) => t.key)).toEqual(['CR-2']);
    expect(repo.list({ state: 'needs_input' })).toEqual([]);
    for (const ticket of repo.list()) {
      expect(ticket.events).toEqual([{ at: ticket.createdAt, type: 'created', text: 'created' }]);
    }
  });
});

describe('TicketRepository.firstPage', () => {
  it('is the newest tickets as list() has them, with the counts of all', () => {
    const { repo } = openRepository();
    const states = ['todo', 'review', 'done', 'todo', 'needs_input'] as const;
    for (const [i, state] of states.entries()) repo.add({ title: `t${i}`, state }, T0);
    // A ticket with a timeline beyond its creation: the page carries it too.
    const moved = applyStateChange(
      repo.get('CR-2') as NonNullable<ReturnType<typeof repo.get>>,
      'in_progress',
      T1,
    );
    repo.save(moved.ticket, moved.events);

    const { page, totals } = repo.firstPage(2);
    expect(page).toEqual(repo.list().slice(0, 2));
    expect(totals).toEqual({
      total: 5,
      byState: { todo: 2, in_progress: 1, needs_input: 1, review: 0, done: 1 },
    });
    expect(repo.firstPage(4).page[3]?.events.map((e) => e.type)).toEqual(['created', 'state_set']);
    expect(repo.firstPage(10).page).toEqual(repo.list());
  });

  it('carries the messages of the tickets on the page, and only theirs', () => {
    const { repo, db } = openRepository();
    for (let i = 0; i < 5; i += 1) repo.add({ title: `t${i}` }, T0);
    const send = db.prepare(
      `INSERT INTO messages (id, ticket_seq, host, runtime_id, text, idempotency_key, state, created_at, updated_at)
       SELECT ?, seq, 'local', '%1', 'x', ?, ?, ?, ? FROM tickets WHERE key = ?`,
    );
    send.run('m1', 'k1', 'delivered', T1, T1, 'CR-1');
    send.run('m2', 'k2', 'failed', T2, T2, 'CR-4');
    send.run('m3', 'k3', 'pending', T3, T3, 'CR-4');
    send.run('m4', 'k4', 'pending', T1, T1, 'CR-5');

    const { page } = repo.firstPage(2);
    expect(page.map((t) => t.key)).toEqual(['CR-5', 'CR-4']);
    expect(page).toEqual(repo.list().slice(0, 2));
    expect(page[1]?.messages.map((m) => m.id)).toEqual(['m2', 'm3']);
    expect(repo.firstPage(5).page).toEqual(repo.list());
    expect(repo.firstPage(5).page[4]?.messages.map((m) => m.id)).toEqual(['m1']);
  });
});

describe('TicketRepository.save', () => {
  it('persists a change made by the reducer with the events it appended', () => {
    const { repo } = openRepository();
    const created = repo.add({ title: 'to move', location: 'src/a.ts:1' }, T0);

    const started = applyStateChange(created, 'in_progress', T1);
    expect(started.events).toHaveLength(1);
    repo.save(started.ticket, started.events);
    expect(repo.get('CR-1')).toEqual(started.ticket);

    const reviewed = applyStateChange(started.ticket, 'review', T2);
    repo.save(reviewed.ticket, reviewed.events);

    const stored = repo.get('CR-1');
    expect(stored).toEqual(reviewed.ticket);
    expect(stored).toMatchObject({ state: 'review', updatedAt: T2, createdAt: T0 });
    expect(stored?.events.map((e) => [e.at, e.type])).toEqual([
      [T0, 'created'],
      [T1, 'state_set'],
      [T2, 'state_set'],
    ]);
    expect(repo.list()).toEqual([reviewed.ticket]);
  });

  it('refuses to save a ticket that does not exist and writes nothing', () => {
    const { repo } = openRepository();
    const created = repo.add({ title: 'exists' }, T0);
    const ghost = applyStateChange({ ...created, key: 'CR-99' }, 'done', T1);

    const error = appErrorOf(() => repo.save(ghost.ticket, ghost.events));

    expect(error).toMatchObject({ kind: 'not_found' });
    expect(repo.list()).toEqual([created]);
  });
});

describe('TicketRepository large data', () => {
  it('round-trips a body at its limit exactly, and reads a 10 MB one written before the limits', () => {
    const { db, repo } = openRepository();
    const piece = 'line ä ß 漢字 😀 "quoted" \\ back\ttab\r\ncrlf\nnul:\u0000 end\n';
    const atLimit = piece.repeat(Math.floor(TICKET_FIELD_LIMITS.body / Buffer.byteLength(piece)));
    const { key } = repo.add({ title: 'at the limit', body: atLimit }, T0);
    expect(repo.get(key)?.body === atLimit).toBe(true);

    // A ticket written before the limits (or by another tool) is read back whole.
    const target = 10 * 1024 * 1024;
    const body = piece.repeat(Math.ceil(target / Buffer.byteLength(piece)));
    expect(Buffer.byteLength(body)).toBeGreaterThanOrEqual(target);
    db.prepare('UPDATE tickets SET body = ? WHERE key = ?').run(body, key);

    const stored = repo.get(key)?.body;
    expect(stored?.length).toBe(body.length);
    expect(stored === body).toBe(true);
    expect(repo.list()[0]?.body === body).toBe(true);
  });

  it('imports 100,000 tickets in one batch and lists them all with their events', () => {
    const { repo } = openRepository();
    const total = 100_000;
    const items: ImportItem[] = [];
    for (let i = 1; i <= total; i++) {
      items.push({ line: i, draft: { title: `finding ${i}`, sourceHash: `hash-${i}` } });
    }

    const outcome = repo.importBatch(items, 'bulk.ndjson', T0);

    expect(outcome.imported).toHaveLength(total);
    expect(outcome.imported[0]).toBe('CR-1');
    expect(outcome.imported[total - 1]).toBe(`CR-${total}`);
    expect(outcome.skipped).toEqual([]);
    const tickets = repo.list();
    expect(tickets).toHaveLength(total);
    expect(repo.count()).toBe(total);
    const wrong: string[] = [];
    tickets.forEach((ticket, index) => {
      const n = total - index;
      const ok =
        ticket.key === `CR-${n}` &&
        ticket.title === `finding ${n}` &&
        ticket.events.length === 1 &&
        ticket.events[0]?.type === 'created' &&
        ticket.events[0]?.text === `imported from bulk.ndjson:${n}`;
      if (!ok) wrong.push(ticket.key);
    });
    expect(wrong.slice(0, 10)).toEqual([]);
  });
});

describe('TicketRepository.importBatch', () => {
  it('writes nothing of a batch whose third item has a key that exists already', () => {
    const { repo } = openRepository();
    repo.add({ key: 'CR-5', title: 'already here' }, T0);
    const items: ImportItem[] = [
      { line: 2, draft: { title: 'one', sourceHash: 'h-one' } },
      { line: 6, draft: { title: 'two', key: 'CR-30' } },
      { line: 11, draft: { title: 'three', key: 'cr-5' } },
      { line: 15, draft: { title: 'four' } },
    ];

    const error = appErrorOf(() => repo.importBatch(items, 'batch.json', T1));

    expect(error).toMatchObject({ kind: 'input', line: 11, field: 'key' });
    expect(error.message).toContain('CR-5');
    expect(repo.count()).toBe(1);
    expect(repo.get('CR-30')).toBeUndefined();
    // The counter moves of the refused batch were rolled back too.
    expect(repo.add({ title: 'next' }, T2).key).toBe('CR-6');
    // And its source hash was not kept: the item imports on its own.
    expect(repo.importBatch([items[0] as ImportItem], 'batch.json', T2).imported).toEqual(['CR-7']);
  });

  it('refuses a key repeated within the batch, at the line of the repeat', () => {
    const { repo } = openRepository();
    const items: ImportItem[] = [
      { line: 1, draft: { title: 'a', key: 'CR-20' } },
      { line: 4, draft: { title: 'b', key: 'cr-20' } },
    ];

    const error = appErrorOf(() => repo.importBatch(items, 'batch.ndjson', T0));

    expect(error).toMatchObject({ kind: 'input', line: 4, field: 'key' });
    expect(repo.count()).toBe(0);
  });

  it('skips items whose source hash exists in the database or earlier in the batch', () => {
    const { repo } = openRepository();
    repo.add({ title: 'known', sourceHash: 'h-old' }, T0);
    const items: ImportItem[] = [
      { line: 1, draft: { title: 'known again', sourceHash: 'h-old' } },
      { line: 3, draft: { title: 'new a', sourceHash: 'h-a' } },
      { line: 5, draft: { title: 'new a repeated', sourceHash: 'h-a' } },
      { line: 7, draft: { title: 'new b', sourceHash: 'h-b' } },
    ];

    const outcome = repo.importBatch(items, 'findings.md', T1);

    expect(outcome).toEqual({
      imported: ['CR-2', 'CR-3'],
      skipped: [
        { line: 1, sourceHash: 'h-old', existingKey: 'CR-1' },
        { line: 5, sourceHash: 'h-a', existingKey: 'CR-2' },
      ],
    });
    expect(repo.get('CR-2')).toMatchObject({ title: 'new a', sourceHash: 'h-a' });
    expect(repo.get('CR-2')?.events).toEqual([
      { at: T1, type: 'created', text: 'imported from findings.md:3' },
    ]);
    expect(repo.get('CR-3')?.events[0]?.text).toBe('imported from findings.md:7');

    const again = repo.importBatch(items, 'findings.md', T2);

    expect(again.imported).toEqual([]);
    expect(again.skipped.map((s) => [s.line, s.existingKey])).toEqual([
      [1, 'CR-1'],
      [3, 'CR-2'],
      [5, 'CR-2'],
      [7, 'CR-3'],
    ]);
    expect(repo.count()).toBe(3);
  });

  it('dedupes a large batch the same way as a small one', () => {
    const { repo } = openRepository();
    repo.add({ title: 'known', sourceHash: 'hash-1' }, T0);
    const total = 10_000;
    const items: ImportItem[] = [];
    for (let i = 1; i <= total; i++) {
      // Item 5000 repeats the hash of item 2; item 1 repeats the stored one.
      const hash = i === 5000 ? 'hash-2' : `hash-${i}`;
      items.push({ line: i, draft: { title: `finding ${i}`, sourceHash: hash } });
    }

    const outcome = repo.importBatch(items, 'big.ndjson', T1);

    expect(outcome.imported).toHaveLength(total - 2);
    expect(outcome.skipped).toEqual([
      { line: 1, sourceHash: 'hash-1', existingKey: 'CR-1' },
      { line: 5000, sourceHash: 'hash-2', existingKey: 'CR-2' },
    ]);
    expect(repo.count()).toBe(total - 1);

    const again = repo.importBatch(items, 'big.ndjson', T2);

    expect(again.imported).toEqual([]);
    expect(again.skipped).toHaveLength(total);
    expect(repo.count()).toBe(total - 1);
  });
});
