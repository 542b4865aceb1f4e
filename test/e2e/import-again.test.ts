import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult, homeCli, parseJson, type TicketJson } from './helpers/cli.js';

/**
 * Importing the same findings again adds nothing, also when they carry no `auto-review-hash`:
 * their identity is then made from their title, location and issue text (issue 13 item 11).
 */

const MARKDOWN = [
  '# [auto-review] Unchecked index',
  '**Severity:** high **Location:** src/a.ts:12',
  '**Issue:** the index is read',
  'before it is checked.',
  '',
  '---',
  '',
  '# A second finding',
  '**Location:** src/b.ts:3',
  '**Issue:** something else',
  '',
].join('\n');

const RECORDS = [
  { title: 'Unchecked index', location: 'src/a.ts:12', body: 'read first' },
  { title: 'Leaked handle', severity: 'low', body: 'never closed' },
];

const FILES: [string, string][] = [
  ['findings.md', MARKDOWN],
  ['tickets.json', JSON.stringify(RECORDS, null, 2)],
  ['tickets.ndjson', `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`],
];

async function count(cr: Awaited<ReturnType<typeof homeCli>>): Promise<number> {
  const listed = await cr('--json', 'tickets', 'list');
  expect(listed.code, describeResult(listed)).toBe(0);
  return parseJson<TicketJson[]>(listed).length;
}

describe('importing findings without a hash twice', () => {
  it.each(FILES)(
    'adds the records of %s once, and says how many it skipped',
    async (name, text) => {
      const cr = await homeCli();
      const file = join(cr.home, name);
      await writeFile(file, text);

      const first = await cr('tickets', 'import', file);
      expect(first.code, describeResult(first)).toBe(0);
      expect(first.stdout).toContain(': imported 2\n');
      expect(await count(cr)).toBe(2);

      const second = await cr('tickets', 'import', file);
      expect(second.code, describeResult(second)).toBe(0);
      expect(second.stdout).toContain(': imported 0, skipped 2 already there');
      expect(await count(cr)).toBe(2);
    },
  );

  it('takes a copy with CRLF line endings and other wrapping for the same findings', async () => {
    const cr = await homeCli();
    await writeFile(join(cr.home, 'lf.md'), MARKDOWN);
    const crlf = MARKDOWN.replace('read\nbefore', 'read before').replace(/\n/g, '\r\n');
    await writeFile(join(cr.home, 'crlf.md'), crlf);
    expect((await cr('tickets', 'import', join(cr.home, 'lf.md'))).code).toBe(0);
    const again = await cr('--json', 'tickets', 'import', join(cr.home, 'crlf.md'));
    expect(again.code, describeResult(again)).toBe(0);
    expect(parseJson<{ imported: number; skipped: number }>(again)).toMatchObject({
      imported: 0,
      skipped: 2,
    });
    expect(await count(cr)).toBe(2);
  });
});

describe('a .json file holding one object', () => {
  it('is one ticket, and importing it again adds nothing', async () => {
    const cr = await homeCli();
    const file = join(cr.home, 'one.json');
    await writeFile(file, '{\n  "title": "One ticket",\n  "severity": "medium"\n}\n');
    const first = await cr('tickets', 'import', file);
    expect(first.code, describeResult(first)).toBe(0);
    expect(first.stdout).toContain(': imported 1\n');
    const second = await cr('tickets', 'import', file);
    expect(second.code, describeResult(second)).toBe(0);
    const tickets = parseJson<TicketJson[]>(await cr('--json', 'tickets', 'list'));
    expect(tickets.map((t) => [t.title, t.severity])).toEqual([['One ticket', 'medium']]);
  });
});
