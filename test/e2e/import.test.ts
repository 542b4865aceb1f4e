import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BoundCli,
  describeResult,
  fixture,
  homeCli,
  parseJson,
  type TicketJson,
} from './helpers/cli.js';

/**
 * Bad input: each file is refused with exit 2 and `file:line[: field]: reason` on stderr, and
 * nothing of it is written. The store holds tickets.json first, so a partial write would show.
 */

interface BadCase {
  name: string;
  file: string;
  text: string;
  /** What stderr must say: `file:line: [field: ]reason`, the file named as given. */
  expected: string;
}

const CASES: BadCase[] = [
  {
    name: 'a Markdown finding without a title',
    file: 'no-title.md',
    text: [
      '# [auto-review] a good finding first',
      '**Severity:** high **Location:** a.py:1',
      'auto-review-hash: aaaa00000001',
      '',
      '---',
      '',
      '**Severity:** low **Location:** b.py:2',
      '**Issue:** this finding has no heading',
      'auto-review-hash: aaaa00000002',
      '',
    ].join('\n'),
    expected: 'no-title.md:7: finding has no title',
  },
  {
    name: 'a Markdown finding with an unknown severity',
    file: 'bad-severity.md',
    text: [
      '# [auto-review] a good finding first',
      '**Severity:** high',
      '',
      '---',
      '',
      '# [auto-review] the bad one',
      '**Location:** c.py:3',
      '**Severity:** urgent',
      '**Issue:** urgent is not a severity',
      '',
    ].join('\n'),
    expected: 'bad-severity.md:8: severity: expected one of critical, high, medium, low, info',
  },
  {
    name: 'a JSON array element without a title',
    file: 'no-title.json',
    text: [
      '[',
      '  {"title": "a good one"},',
      '  {"title": "another good one", "severity": "low"},',
      '  {"severity": "high",',
      '   "body": "no title here"}',
      ']',
      '',
    ].join('\n'),
    expected: 'no-title.json:4: title: required',
  },
  {
    name: 'malformed JSON',
    file: 'malformed.json',
    text: [
      '[',
      '  {"title": "a good one"},',
      '  {"title": "missing a comma"',
      '   "body": "after this"}',
      ']',
      '',
    ].join('\n'),
    expected: 'malformed.json:4: invalid JSON',
  },
  {
    name: 'an NDJSON line that is not JSON',
    file: 'bad.ndjson',
    text: ['{"title": "good one"}', '{"title": "good two"}', '{"title": oops}', ''].join('\n'),
    expected: 'bad.ndjson:3: invalid JSON',
  },
  {
    name: 'an unknown state in JSON',
    file: 'bad-state.json',
    text: [
      '[',
      '  {"title": "a good one"},',
      '  {"title": "blocked one", "state": "blocked"}',
      ']',
      '',
    ].join('\n'),
    expected:
      'bad-state.json:3: state: expected one of todo, in_progress, needs_input, review, done, got "blocked"',
  },
  {
    name: 'an unknown field',
    file: 'unknown-field.json',
    text: [
      '[',
      '  {"title": "a good one"},',
      '  {"title": "prioritised",',
      '   "priority": 1}',
      ']',
      '',
    ].join('\n'),
    expected: 'unknown-field.json:3: priority: unknown field "priority"',
  },
];

async function seeded(): Promise<{ cr: BoundCli; before: string }> {
  const cr = await homeCli();
  const seed = await cr('tickets', 'import', fixture('tickets.json'));
  expect(seed.code, describeResult(seed)).toBe(0);
  const list = await cr('--json', 'tickets', 'list');
  expect(parseJson<TicketJson[]>(list)).toHaveLength(6);
  return { cr, before: list.stdout };
}

/** Runs a command in the home folder, so files are named relative to it (as stderr shows). */
function inHome(cr: BoundCli, ...args: string[]) {
  return cr.with({ cwd: cr.home }, ...args);
}

describe('tickets import refuses bad input, all or nothing per file', () => {
  for (const c of CASES) {
    it(`refuses ${c.name} with its line, and writes nothing`, async () => {
      const { cr, before } = await seeded();
      await writeFile(join(cr.home, c.file), c.text);

      const result = await inHome(cr, 'tickets', 'import', c.file);
      expect(result.code, describeResult(result)).toBe(2);
      expect(result.stderr).toContain(`control-room: ${c.expected}`);
      expect(result.stderr).toContain(`${c.file}: nothing imported from this file`);
      expect(result.stdout).toBe('');

      expect((await cr('--json', 'tickets', 'list')).stdout).toBe(before);
    });
  }

  it('with --json, a refused file is counted as failed with its problems', async () => {
    const { cr, before } = await seeded();
    const bad = CASES.find((c) => c.file === 'bad-state.json') as BadCase;
    await writeFile(join(cr.home, bad.file), bad.text);
    const result = await inHome(cr, '--json', 'tickets', 'import', bad.file);
    expect(result.code, describeResult(result)).toBe(2);
    const report = parseJson<{
      imported: number;
      failed: number;
      files: { file: string; imported: string[]; problems: { line: number; field?: string }[] }[];
    }>(result);
    expect(report).toMatchObject({ imported: 0, failed: 1 });
    expect(report.files[0]?.imported).toEqual([]);
    expect(report.files[0]?.problems).toEqual([
      { line: 3, field: 'state', message: expect.stringContaining('"blocked"') },
    ]);
    expect((await cr('--json', 'tickets', 'list')).stdout).toBe(before);
  });

  it('of two files where one is bad, imports the good one and exits 2', async () => {
    const { cr } = await seeded();
    await writeFile(
      join(cr.home, 'good.ndjson'),
      '{"title": "good one", "key": "NEW-1"}\n{"title": "good two", "key": "NEW-2"}\n',
    );
    const bad = CASES.find((c) => c.file === 'no-title.json') as BadCase;
    await writeFile(join(cr.home, bad.file), bad.text);

    const result = await inHome(cr, 'tickets', 'import', bad.file, 'good.ndjson');
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stdout).toBe('good.ndjson: imported 2\n');
    expect(result.stderr).toContain(`control-room: ${bad.expected}`);
    expect(result.stderr).toContain('no-title.json: nothing imported from this file');
    expect(result.stderr).not.toContain('good.ndjson');

    const list = parseJson<TicketJson[]>(await cr('--json', 'tickets', 'list'));
    expect(list.map((t) => t.key)).toEqual([
      'NEW-2',
      'NEW-1',
      'OPS-106',
      'OPS-105',
      'OPS-104',
      'OPS-103',
      'OPS-102',
      'OPS-101',
    ]);
  });

  it('a file that does not exist exits 2 and names it', async () => {
    const { cr, before } = await seeded();
    const result = await inHome(cr, 'tickets', 'import', 'missing.json');
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('missing.json: cannot read the file (no such file)');
    expect((await cr('--json', 'tickets', 'list')).stdout).toBe(before);
  });

  it('a key that is taken already fails its file, with the line', async () => {
    const { cr, before } = await seeded();
    await writeFile(
      join(cr.home, 'dup.json'),
      '[\n  {"title": "fresh", "key": "NEW-9"},\n  {"title": "clash", "key": "OPS-101"}\n]\n',
    );
    const result = await inHome(cr, 'tickets', 'import', 'dup.json');
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('dup.json:3: key: a ticket OPS-101 exists already');
    expect((await cr('--json', 'tickets', 'list')).stdout).toBe(before);
  });
});
