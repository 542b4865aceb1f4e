import { describe, expect, it } from 'vitest';
import {
  CONTENT_HASH_PREFIX,
  contentHash,
  normaliseForIdentity,
} from '../../src/services/import/finding-identity.js';
import { parseImportText } from '../../src/services/import/parse-file.js';
import { parseJsonArray } from '../../src/services/import/parse-json.js';
import type { ParseResult } from '../../src/services/import/records.js';

/** Findings without `auto-review-hash`: their identity is made from their content (issue 13 item 11). */

function hashes(result: ParseResult): (string | null | undefined)[] {
  if (!result.ok) throw new Error(`expected records, got problems ${JSON.stringify(result)}`);
  return result.records.map((record) => record.draft.sourceHash);
}

const FINDING = [
  '# [auto-review] Unchecked index',
  '**Severity:** high **Location:** src/a.ts:12',
  '**Issue:** the index is read',
  'before it is checked.',
  '**Suggested fix:** check it first',
  '',
].join('\n');

describe('the identity of a finding without a hash', () => {
  it('is the same for the same finding in Markdown, however its lines end or wrap', () => {
    const [lf] = hashes(parseImportText('a.md', FINDING));
    const [crlf] = hashes(parseImportText('b.md', FINDING.replace(/\n/g, '\r\n')));
    const rewrapped = FINDING.replace('is read\nbefore', 'is read before').replace(
      '# [auto-review] Unchecked index',
      '#   [auto-review]   Unchecked   index  ',
    );
    const [wrapped] = hashes(parseImportText('c.md', rewrapped));
    expect(lf?.startsWith(CONTENT_HASH_PREFIX)).toBe(true);
    expect(crlf).toBe(lf);
    expect(wrapped).toBe(lf);
  });

  it('differs when the title, the location or the issue differs', () => {
    const [base] = hashes(parseImportText('a.md', FINDING));
    const variants = [
      FINDING.replace('Unchecked index', 'Unchecked offset'),
      FINDING.replace('src/a.ts:12', 'src/a.ts:13'),
      FINDING.replace('the index is read', 'the offset is read'),
    ];
    const others = variants.map((text) => hashes(parseImportText('v.md', text))[0]);
    expect(new Set([base, ...others]).size).toBe(4);
    // The suggested fix and the severity are not what makes it the same finding.
    const [fixChanged] = hashes(
      parseImportText('f.md', FINDING.replace('check it first', 'x').replace('high', 'low')),
    );
    expect(fixChanged).toBe(base);
  });

  it('keeps the fields apart: text moved from one field to the next is another finding', () => {
    expect(contentHash({ title: 'a b', location: 'c' })).not.toBe(
      contentHash({ title: 'a', location: 'b c' }),
    );
  });

  it('is the same in JSON, NDJSON and Markdown for the same content', () => {
    const fields = {
      title: 'Unchecked index',
      location: 'src/a.ts:12',
      body: 'the index is read\r\nbefore it is checked.',
    };
    const [json] = hashes(parseImportText('t.json', JSON.stringify([fields])));
    const [ndjson] = hashes(parseImportText('t.ndjson', `${JSON.stringify(fields)}\n`));
    const markdown = [
      `# ${fields.title}`,
      `**Location:** ${fields.location}`,
      `**Issue:** ${fields.body}`,
    ].join('\n');
    const [md] = hashes(parseImportText('t.md', markdown));
    expect(json).toBe(ndjson);
    expect(md).toBe(json);
  });

  it('leaves a hash the finding carries as it is', () => {
    const withHash = `${FINDING}auto-review-hash: 7b6e0124e810\n`;
    expect(hashes(parseImportText('a.md', withHash))).toEqual(['7b6e0124e810']);
    const json = '[{"title": "t", "sourceHash": "abc"}, {"title": "t", "sourceHash": null}]';
    const [kept, made] = hashes(parseImportText('t.json', json));
    expect(kept).toBe('abc');
    expect(made).toBe(contentHash({ title: 't' }));
  });

  it('normalises white space and Unicode composition', () => {
    expect(normaliseForIdentity('  a\r\n\tb  \u00a0c ')).toBe('a b c');
    expect(normaliseForIdentity('e\u0301')).toBe(normaliseForIdentity('\u00e9'));
    expect(normaliseForIdentity(null)).toBe('');
  });
});

describe('a .json file holding one object', () => {
  it('is one ticket, starting on the line of its brace', () => {
    const text = '\n{\n  "title": "one ticket",\n  "severity": "low"\n}\n';
    const result = parseJsonArray(text);
    expect(result).toEqual({
      ok: true,
      records: [{ line: 2, draft: { title: 'one ticket', severity: 'low' } }],
    });
    expect(hashes(parseImportText('one.json', text))).toHaveLength(1);
  });

  it('reports a bad object with its field', () => {
    expect(parseJsonArray('{"severity": "urgent"}')).toEqual({
      ok: false,
      problems: [
        { line: 1, field: 'title', message: 'required: a non-empty string' },
        {
          line: 1,
          field: 'severity',
          message: 'expected one of critical, high, medium, low, info, got "urgent"',
        },
      ],
    });
  });

  it('refuses a value that is neither an array nor an object', () => {
    expect(parseJsonArray('"text"')).toEqual({
      ok: false,
      problems: [{ line: 1, message: 'expected a JSON array of tickets, or one ticket object' }],
    });
  });
});
