import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeResult, fixture, homeCli, parseJson, type TicketJson } from './helpers/cli.js';

const FINDINGS = fixture('findings.md');
const TICKETS_JSON = fixture('tickets.json');

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const STATES = ['todo', 'in_progress', 'needs_input', 'review', 'done'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The fields of `cli.md`'s ticket shape, and the extra ones a ticket may carry. */
const REQUIRED_FIELDS = [
  'key',
  'title',
  'severity',
  'state',
  'owner',
  'location',
  'flaggedBy',
  'sourceHash',
  'runtime',
  'lastError',
  'messages',
  'events',
  'createdAt',
  'updatedAt',
];
const ALLOWED_EXTRA_FIELDS = ['body', 'suggestedFix'];

function expectNullableString(value: unknown, field: string): void {
  expect(value === null || typeof value === 'string', `${field} is ${typeof value}`).toBe(true);
}

/** Checks one ticket object against the shape and types of `cli.md`. */
function expectTicketShape(ticket: Record<string, unknown>): void {
  const keys = Object.keys(ticket);
  for (const field of REQUIRED_FIELDS) expect(keys).toContain(field);
  for (const field of keys) expect([...REQUIRED_FIELDS, ...ALLOWED_EXTRA_FIELDS]).toContain(field);

  expect(typeof ticket.key).toBe('string');
  expect(typeof ticket.title).toBe('string');
  expect(SEVERITIES).toContain(ticket.severity);
  expect(STATES).toContain(ticket.state);
  for (const field of ['owner', 'location', 'flaggedBy', 'sourceHash']) {
    expectNullableString(ticket[field], field);
  }
  if ('body' in ticket) expect(typeof ticket.body).toBe('string');
  if ('suggestedFix' in ticket) expectNullableString(ticket.suggestedFix, 'suggestedFix');
  if (ticket.runtime !== null) {
    expect(ticket.runtime).toMatchObject({
      host: expect.any(String),
      id: expect.any(String),
      adopted: expect.any(Boolean),
    });
  }
  if (ticket.lastError !== null) {
    expect(ticket.lastError).toMatchObject({
      kind: expect.any(String),
      host: expect.any(String),
      message: expect.any(String),
      at: expect.stringMatching(ISO),
    });
  }
  expect(Array.isArray(ticket.messages)).toBe(true);
  expect(Array.isArray(ticket.events)).toBe(true);
  for (const event of ticket.events as unknown[]) {
    expect(event).toEqual({
      at: expect.stringMatching(ISO),
      type: expect.any(String),
      text: expect.any(String),
    });
  }
  expect(ticket.createdAt).toMatch(ISO);
  expect(ticket.updatedAt).toMatch(ISO);
}

describe('tickets import (good files)', () => {
  it('imports the 6 findings of findings.md, and a second run imports none', async () => {
    const cr = await homeCli();
    const first = await cr('tickets', 'import', FINDINGS);
    expect(first.code, describeResult(first)).toBe(0);
    expect(first.stdout).toBe(`${FINDINGS}: imported 6\n`);

    const second = await cr('tickets', 'import', FINDINGS);
    expect(second.code, describeResult(second)).toBe(0);
    expect(second.stdout).toBe(`${FINDINGS}: imported 0, skipped 6 already there\n`);

    const list = parseJson<TicketJson[]>(await cr('--json', 'tickets', 'list'));
    expect(list).toHaveLength(6);
  });

  it('reports imported, skipped, failed and files with --json', async () => {
    const cr = await homeCli();
    const first = await cr('--json', 'tickets', 'import', FINDINGS);
    expect(first.code, describeResult(first)).toBe(0);
    const report = parseJson<{
      imported: number;
      skipped: number;
      failed: number;
      files: { file: string; imported: string[]; skipped: unknown[] }[];
    }>(first);
    expect(report).toMatchObject({ imported: 6, skipped: 0, failed: 0 });
    expect(report.files).toHaveLength(1);
    expect(report.files[0]?.file).toBe(FINDINGS);
    expect(report.files[0]?.imported).toHaveLength(6);

    const second = await cr('--json', 'tickets', 'import', FINDINGS);
    expect(second.code, describeResult(second)).toBe(0);
    const again = parseJson<typeof report>(second);
    expect(again).toMatchObject({ imported: 0, skipped: 6, failed: 0 });
    expect(again.files[0]?.imported).toEqual([]);
    expect(again.files[0]?.skipped).toHaveLength(6);
    expect(again.files[0]?.skipped[0]).toMatchObject({
      sourceHash: '7b6e0124e810',
      existingKey: report.files[0]?.imported[0],
    });
  });

  it('imports tickets.json with its keys OPS-101..OPS-106', async () => {
    const cr = await homeCli();
    const result = await cr('--json', 'tickets', 'import', TICKETS_JSON);
    expect(result.code, describeResult(result)).toBe(0);
    const report = parseJson<{ imported: number; files: { imported: string[] }[] }>(result);
    expect(report.imported).toBe(6);
    expect(report.files[0]?.imported).toEqual([
      'OPS-101',
      'OPS-102',
      'OPS-103',
      'OPS-104',
      'OPS-105',
      'OPS-106',
    ]);
    const ops104 = parseJson<TicketJson>(await cr('--json', 'tickets', 'show', 'OPS-104'));
    expect(ops104).toMatchObject({
      key: 'OPS-104',
      title: 'Builder in mc-4428 waits for approval',
      severity: 'high',
      state: 'needs_input',
      owner: 'ops',
    });
  });
});

describe('tickets show and list', () => {
  it('show --json has exactly the ticket shape of cli.md, with a created event', async () => {
    const cr = await homeCli();
    const imported = await cr('--json', 'tickets', 'import', FINDINGS);
    const key = parseJson<{ files: { imported: string[] }[] }>(imported).files[0]?.imported[0];
    expect(key).toBe('CR-1');

    const result = await cr('--json', 'tickets', 'show', 'CR-1');
    expect(result.code, describeResult(result)).toBe(0);
    const ticket = parseJson<Record<string, unknown>>(result);
    expectTicketShape(ticket);
    expect(ticket).toMatchObject({
      key: 'CR-1',
      title: 'send path adopts a live runtime for every exception',
      severity: 'high',
      state: 'todo',
      owner: null,
      location: 'src/pickup.py:2015',
      flaggedBy: 'codex',
      sourceHash: '7b6e0124e810',
      runtime: null,
      lastError: null,
      messages: [],
    });
    expect(ticket.body).toMatch(/^The send path catches every exception/);
    expect(ticket.suggestedFix).toMatch(/^Adopt the live runtime only for a 409 busy answer/);
    const events = ticket.events as TicketJson['events'];
    expect(events.map((e) => e.type)).toContain('created');
  });

  it('show prints the ticket with its timeline for people', async () => {
    const cr = await homeCli();
    await cr('tickets', 'import', TICKETS_JSON);
    const result = await cr('tickets', 'show', 'OPS-102');
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toMatch(/^OPS-102 {2}Flaky integration test/);
    expect(result.stdout).toMatch(/^Location: +test\/integration\/runtimes\.test\.ts:77$/m);
    expect(result.stdout).toMatch(/^Timeline:$/m);
    expect(result.stdout).toMatch(/created/);
  });

  it('list --json is an array of tickets, newest first', async () => {
    const cr = await homeCli();
    await cr('tickets', 'import', TICKETS_JSON);
    const added = await cr('tickets', 'add', '--title', 'the newest one');
    expect(added.code, describeResult(added)).toBe(0);

    const result = await cr('--json', 'tickets', 'list');
    expect(result.code, describeResult(result)).toBe(0);
    const list = parseJson<Record<string, unknown>[]>(result);
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((t) => t.key)).toEqual([
      added.stdout.trim(),
      'OPS-106',
      'OPS-105',
      'OPS-104',
      'OPS-103',
      'OPS-102',
      'OPS-101',
    ]);
    for (const ticket of list) expectTicketShape(ticket);
    const created = list.map((t) => t.createdAt as string);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('list --state todo shows only the tickets in todo', async () => {
    const cr = await homeCli();
    await cr('tickets', 'import', TICKETS_JSON);
    const result = await cr('--json', 'tickets', 'list', '--state', 'todo');
    expect(result.code, describeResult(result)).toBe(0);
    const list = parseJson<TicketJson[]>(result);
    expect(list.map((t) => t.key)).toEqual(['OPS-103', 'OPS-102', 'OPS-101']);
    expect(list.every((t) => t.state === 'todo')).toBe(true);

    const review = parseJson<TicketJson[]>(
      await cr('--json', 'tickets', 'list', '--state', 'review'),
    );
    expect(review.map((t) => t.key)).toEqual(['OPS-105']);
  });

  it('list --state with an unknown state exits 2', async () => {
    const cr = await homeCli();
    const result = await cr('tickets', 'list', '--state', 'blocked');
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('unknown state "blocked"');
  });

  it('list prints a header and one line per ticket', async () => {
    const cr = await homeCli();
    await cr('tickets', 'import', TICKETS_JSON);
    const result = await cr('tickets', 'list');
    expect(result.code, describeResult(result)).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^KEY\s+SEVERITY\s+STATE\s+OWNER\s+RUNTIME\s+TITLE$/);
    const keys = lines.slice(1).map((l) => l.split(/\s+/)[0]);
    expect(keys).toEqual(['OPS-106', 'OPS-105', 'OPS-104', 'OPS-103', 'OPS-102', 'OPS-101']);
    expect(lines[3]).toMatch(
      /^OPS-104\s+high\s+needs_input\s+ops\s+-\s+Builder in mc-4428 waits for approval$/,
    );
  });
});

describe('tickets add', () => {
  it('with --key prints that key, and stores every option', async () => {
    const cr = await homeCli();
    const bodyFile = join(cr.home, 'body.txt');
    await writeFile(bodyFile, 'The body, from a file.\nSecond line.\n');
    const result = await cr(
      'tickets',
      'add',
      '--title',
      'A title',
      '--severity',
      'high',
      '--body-file',
      bodyFile,
      '--location',
      'src/a.ts:12',
      '--key',
      'OPS-77',
    );
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toBe('OPS-77\n');

    const ticket = parseJson<TicketJson>(await cr('--json', 'tickets', 'show', 'OPS-77'));
    expect(ticket).toMatchObject({
      key: 'OPS-77',
      title: 'A title',
      severity: 'high',
      state: 'todo',
      location: 'src/a.ts:12',
      body: 'The body, from a file.\nSecond line.\n',
    });
  });

  it('without --key assigns CR-1, then CR-2', async () => {
    const cr = await homeCli();
    const first = await cr('tickets', 'add', '--title', 'first');
    expect(first.code, describeResult(first)).toBe(0);
    expect(first.stdout).toBe('CR-1\n');
    const second = await cr('tickets', 'add', '--title', 'second');
    expect(second.code, describeResult(second)).toBe(0);
    expect(second.stdout).toBe('CR-2\n');
  });

  it('--json prints the new ticket', async () => {
    const cr = await homeCli();
    const result = await cr('--json', 'tickets', 'add', '--title', 'json one', '--severity', 'low');
    expect(result.code, describeResult(result)).toBe(0);
    const ticket = parseJson<Record<string, unknown>>(result);
    expectTicketShape(ticket);
    expect(ticket).toMatchObject({ key: 'CR-1', title: 'json one', severity: 'low' });
    expect((ticket.events as TicketJson['events']).map((e) => e.type)).toEqual(['created']);
    const shown = parseJson(await cr('--json', 'tickets', 'show', 'CR-1'));
    expect(shown).toEqual(ticket);
  });

  it('an unknown severity exits 2 and adds nothing', async () => {
    const cr = await homeCli();
    const result = await cr('tickets', 'add', '--title', 't', '--severity', 'urgent');
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('unknown severity "urgent"');
    expect(parseJson(await cr('--json', 'tickets', 'list'))).toEqual([]);
  });

  it('takes a body at its limit through --body-file and show --json returns it exactly', async () => {
    const cr = await homeCli();
    const line = 'Ünïcödé ✓ 漢字 😀 tab\there "quotes" \\ backslash; plain ASCII text follows...\n';
    const end = 'the end, without a newline';
    const pieces: string[] = [];
    const limit = 128 * 1024; // cli.md: a body is at most 128 KiB of UTF-8
    let bytes = Buffer.byteLength(end);
    for (let i = 0; bytes + Buffer.byteLength(`${i} ${line}`) <= limit; i++) {
      pieces.push(`${i} ${line}`);
      bytes += Buffer.byteLength(`${i} ${line}`);
    }
    pieces.push(end);
    const body = pieces.join('');
    const bodyFile = join(cr.home, 'big.txt');
    await writeFile(bodyFile, body);
    expect((await readFile(bodyFile)).length).toBeGreaterThan(limit - 200);

    const added = await cr('tickets', 'add', '--title', 'big body', '--body-file', bodyFile);
    expect(added.code, describeResult(added)).toBe(0);
    const key = added.stdout.trim();
    const shown = await cr('--json', 'tickets', 'show', key);
    expect(shown.code, describeResult(shown)).toBe(0);
    const ticket = parseJson<TicketJson>(shown);
    expect(ticket.body?.length).toBe(body.length);
    expect(ticket.body === body).toBe(true);
  });

  it('shows a 30 MB body written before the limits, whole, in text and in JSON', async () => {
    const cr = await homeCli();
    const added = await cr('tickets', 'add', '--title', 'old and huge');
    expect(added.code, describeResult(added)).toBe(0);
    const key = added.stdout.trim();
    const lines = Array.from({ length: 400_000 }, (_, i) => `log line ${i + 1} of an old ticket`);
    const body = lines.join('\n');
    expect(body.length).toBeGreaterThan(12_000_000);
    const huge = `${body}\n${body.replaceAll('log line', 'more line')}\n${'x'.repeat(4_000_000)}`;
    expect(huge.length).toBeGreaterThan(30_000_000);
    const db = new Database(join(cr.home, 'control-room.db'));
    db.prepare('UPDATE tickets SET body = ? WHERE key = ?').run(huge, key);
    db.close();

    const shown = await cr.with({ timeoutMs: 120_000 }, 'tickets', 'show', key);
    expect(shown.code, describeResult(shown)).toBe(0);
    expect(shown.stdout).toContain(
      '  log line 1 of an old ticket\n  log line 2 of an old ticket\n',
    );
    expect(shown.stdout).toContain('  more line 400000 of an old ticket\n');
    const json = await cr.with({ timeoutMs: 120_000 }, '--json', 'tickets', 'show', key);
    expect(json.code, describeResult(json)).toBe(0);
    expect(parseJson<TicketJson>(json).body === huge).toBe(true);
  }, 180_000);

  it('--body-file - reads the body from standard input', async () => {
    const cr = await homeCli();
    const body = 'from stdin\n  indented line\nlast line without newline';
    const result = await cr.with(
      { stdin: body },
      '--json',
      'tickets',
      'add',
      '--title',
      'piped',
      '--body-file',
      '-',
    );
    expect(result.code, describeResult(result)).toBe(0);
    const ticket = parseJson<TicketJson>(result);
    expect(ticket.body).toBe(body);
    const shown = parseJson<TicketJson>(await cr('--json', 'tickets', 'show', ticket.key));
    expect(shown.body).toBe(body);
  });
});

describe('tickets set-state', () => {
  it('moves a ticket and appends a state_set event', async () => {
    const cr = await homeCli();
    await cr('tickets', 'import', TICKETS_JSON);
    const before = parseJson<TicketJson>(await cr('--json', 'tickets', 'show', 'OPS-101'));
    expect(before.state).toBe('todo');

    const result = await cr('tickets', 'set-state', 'OPS-101', 'done');
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toBe('OPS-101: todo → done\n');

    const after = parseJson<TicketJson>(await cr('--json', 'tickets', 'show', 'OPS-101'));
    expect(after.state).toBe('done');
    expect(after.events).toHaveLength(before.events.length + 1);
    expect(after.events.at(-1)?.type).toBe('state_set');
    expect(after.events.slice(0, before.events.length)).toEqual(before.events);
    const done = parseJson<TicketJson[]>(await cr('--json', 'tickets', 'list', '--state', 'done'));
    expect(done.map((t) => t.key)).toEqual(['OPS-106', 'OPS-101']);
  });

  it('set-state --json prints the moved ticket', async () => {
    const cr = await homeCli();
    await cr('tickets', 'import', TICKETS_JSON);
    const result = await cr('--json', 'tickets', 'set-state', 'OPS-102', 'in_progress');
    expect(result.code, describeResult(result)).toBe(0);
    const ticket = parseJson<TicketJson>(result);
    expect(ticket).toMatchObject({ key: 'OPS-102', state: 'in_progress' });
    expect(ticket.events.at(-1)?.type).toBe('state_set');
  });

  it('an unknown state exits 2, lists the states and changes nothing', async () => {
    const cr = await homeCli();
    await cr('tickets', 'import', TICKETS_JSON);
    const before = (await cr('--json', 'tickets', 'show', 'OPS-101')).stdout;
    const result = await cr('tickets', 'set-state', 'OPS-101', 'blocked');
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('unknown state "blocked"');
    for (const state of STATES) expect(result.stderr).toContain(state);
    expect((await cr('--json', 'tickets', 'show', 'OPS-101')).stdout).toBe(before);
  });

  it('an unknown key exits 1 with a hint', async () => {
    const cr = await homeCli();
    await cr('tickets', 'import', TICKETS_JSON);
    const result = await cr('tickets', 'set-state', 'OPS-999', 'done');
    expect(result.code, describeResult(result)).toBe(1);
    expect(result.stderr).toContain('no ticket OPS-999');
    expect(result.stderr).toContain('control-room tickets list shows the keys');

    const show = await cr('tickets', 'show', 'OPS-999');
    expect(show.code, describeResult(show)).toBe(1);
    expect(show.stderr).toContain('no ticket OPS-999');
  });
});
