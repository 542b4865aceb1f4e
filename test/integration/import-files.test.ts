import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { TicketRepository } from '../../src/adapters/db/ticket-repository.js';
import { importTicketFiles } from '../../src/services/import/import-files.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';

const T0 = '2026-11-25T06:00:00Z';
const T1 = '2026-11-25T06:01:00Z';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/findings.md');

const temp = tempDirsPerTest();

function setup() {
  const dir = temp.make();
  const file = path.join(dir, 'control-room.db');
  const db = temp.closeLater(openDatabase(file));
  return { dir, repo: new TicketRepository(db, file, 'CR') };
}

/** Writes `lines` as a file in `dir`; line N of the file is `lines[N - 1]`. */
function writeLines(dir: string, name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const GOOD_NDJSON = [
  '{"title": "good one", "severity": "low", "sourceHash": "g-1"}',
  '{"title": "good two", "sourceHash": "g-2"}',
];

describe('importTicketFiles', () => {
  it('imports the six findings of the fixture, then none on a second run', async () => {
    const { dir, repo } = setup();
    const findings = path.join(dir, 'findings.md');
    copyFileSync(FIXTURE, findings);

    const first = await importTicketFiles([findings], repo, () => T0);

    expect(first).toEqual([
      {
        file: findings,
        format: 'markdown',
        imported: ['CR-1', 'CR-2', 'CR-3', 'CR-4', 'CR-5', 'CR-6'],
        skipped: [],
        problems: [],
      },
    ]);
    expect(repo.get('CR-3')).toMatchObject({
      title: 'worktree path built from the ticket title without escaping',
      severity: 'critical',
      location: 'src/worktrees.py:88',
      flaggedBy: 'claude',
      sourceHash: '9ad4e61b0c33',
      state: 'todo',
    });
    expect(repo.get('CR-3')?.events).toEqual([
      { at: T0, type: 'created', text: `imported from ${findings}:26` },
    ]);

    const second = await importTicketFiles([findings], repo, () => T1);

    expect(second).toHaveLength(1);
    expect(second[0]?.imported).toEqual([]);
    expect(second[0]?.problems).toEqual([]);
    expect(second[0]?.skipped.map((s) => s.existingKey)).toEqual([
      'CR-1',
      'CR-2',
      'CR-3',
      'CR-4',
      'CR-5',
      'CR-6',
    ]);
    expect(second[0]?.skipped[2]).toEqual({
      line: 26,
      sourceHash: '9ad4e61b0c33',
      existingKey: 'CR-3',
    });
    expect(repo.count()).toBe(6);
  });

  it('writes nothing of a file with a bad record and still imports the good file', async () => {
    const { dir, repo } = setup();
    const bad = writeLines(dir, 'bad.md', [
      '# [auto-review] a fine finding',
      '**Severity:** high **Location:** src/a.ts:1',
      '**Issue:** nothing wrong with this one.',
      'auto-review-hash: aaa111',
      '',
      '---',
      '',
      '# [auto-review] a finding with a made-up severity',
      '**Severity:** urgent **Location:** src/b.ts:2',
      '**Issue:** the severity is not one we know.',
      'auto-review-hash: bbb222',
    ]);
    const good = writeLines(dir, 'good.ndjson', GOOD_NDJSON);

    const reports = await importTicketFiles([bad, good], repo, () => T0);

    expect(reports[0]).toMatchObject({ file: bad, format: 'markdown', imported: [], skipped: [] });
    expect(reports[0]?.problems).toEqual([
      { line: 9, field: 'severity', message: expect.stringContaining('"urgent"') },
    ]);
    expect(reports[1]).toEqual({
      file: good,
      format: 'ndjson',
      imported: ['CR-1', 'CR-2'],
      skipped: [],
      problems: [],
    });
    expect(repo.list().map((t) => [t.title, t.severity])).toEqual([
      ['good two', 'medium'],
      ['good one', 'low'],
    ]);
  });

  it('fails a file whose record takes an existing key, at its line, writing nothing of it', async () => {
    const { dir, repo } = setup();
    repo.add({ title: 'already here' }, T0);
    const conflict = writeLines(dir, 'conflict.json', [
      '[',
      '  {"title": "c one"},',
      '  {"title": "c two"},',
      '  {"key": "cr-1", "title": "c three"}',
      ']',
    ]);
    const good = writeLines(dir, 'good.ndjson', GOOD_NDJSON);

    const reports = await importTicketFiles([conflict, good], repo, () => T1);

    expect(reports[0]).toMatchObject({ file: conflict, format: 'json', imported: [] });
    expect(reports[0]?.problems).toEqual([
      { line: 4, field: 'key', message: expect.stringContaining('CR-1') },
    ]);
    expect(reports[1]?.imported).toEqual(['CR-2', 'CR-3']);
    expect(repo.list().map((t) => t.title)).toEqual(['good two', 'good one', 'already here']);
  });

  it('reports a missing file instead of throwing, and imports the others', async () => {
    const { dir, repo } = setup();
    const missing = path.join(dir, 'no-such-file.md');
    const good = writeLines(dir, 'good.ndjson', GOOD_NDJSON);

    const reports = await importTicketFiles([missing, good], repo, () => T0);

    expect(reports).toEqual([
      {
        file: missing,
        format: null,
        imported: [],
        skipped: [],
        problems: [{ line: 0, message: 'cannot read the file (no such file)' }],
      },
      { file: good, format: 'ndjson', imported: ['CR-1', 'CR-2'], skipped: [], problems: [] },
    ]);
    expect(repo.count()).toBe(2);
  });

  it('the writer holds the field limits for any way in: a batch over one writes nothing', () => {
    const { repo } = setup();
    const batch = [
      { line: 1, draft: { title: 'fine' } },
      { line: 9, draft: { title: 'fine too', suggestedFix: 'f'.repeat(64 * 1024 + 1) } },
    ];
    expect(() => repo.importBatch(batch, 'elsewhere', T0)).toThrow(
      expect.objectContaining({
        error: expect.objectContaining({ kind: 'input', line: 9, field: 'suggestedFix' }),
      }),
    );
    expect(() => repo.add({ title: 't'.repeat(1025) }, T0)).toThrow(/too long/);
    expect(repo.count()).toBe(0);
  });
});
