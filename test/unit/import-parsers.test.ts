import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_RULE } from '../../src/domain/ticket.js';
import {
  detectFormat,
  type ImportFormat,
  parseImportText,
} from '../../src/services/import/parse-file.js';
import { parseJsonArray, parseNdjson } from '../../src/services/import/parse-json.js';
import { parseFindingsMarkdown } from '../../src/services/import/parse-markdown.js';
import {
  draftFromObject,
  type ParseResult,
  type RecordProblem,
} from '../../src/services/import/records.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const findingsMarkdown = readFileSync(path.join(fixtures, 'findings.md'), 'utf8');
const ticketsJson = readFileSync(path.join(fixtures, 'tickets.json'), 'utf8');

function records(result: ParseResult) {
  if (!result.ok) throw new Error(`expected records, got problems ${JSON.stringify(result)}`);
  return result.records;
}

function problems(result: ParseResult): RecordProblem[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result)}`);
  return result.problems;
}

describe('parseFindingsMarkdown', () => {
  it('reads the six findings of the fixture', () => {
    const parsed = records(parseFindingsMarkdown(findingsMarkdown));
    expect(
      parsed.map((record) => [record.line, record.draft.title, record.draft.severity]),
    ).toEqual([
      [1, 'send path adopts a live runtime for every exception', 'high'],
      [15, 'needs_input tickets are normalised back to in_progress', 'high'],
      [26, 'worktree path built from the ticket title without escaping', 'critical'],
      [38, 'dispatcher retries a failed send forever', 'medium'],
      [48, 'uptime shown in server local time', 'low'],
      [58, 'console stream keeps growing without a bound', 'medium'],
    ]);
    expect(parsed.map((record) => record.draft.sourceHash)).toEqual([
      '7b6e0124e810',
      '3c91d0aa57f2',
      '9ad4e61b0c33',
      '51be0f7d2a9c',
      'e07c2f5d8b14',
      '6f2a9be41d07',
    ]);
    expect(parsed.map((record) => [record.draft.location, record.draft.flaggedBy])).toEqual([
      ['src/pickup.py:2015', 'codex'],
      ['src/pickup.py:1880', 'codex'],
      ['src/worktrees.py:88', 'claude'],
      ['src/dispatch.py:412', 'codex'],
      ['web/src/RuntimeCard.tsx:57', 'codex'],
      ['src/console_stream.py:140', 'claude'],
    ]);
  });

  it('keeps the line breaks of an issue and a fix that span lines', () => {
    const [first] = records(parseFindingsMarkdown(findingsMarkdown));
    expect(first?.draft).toEqual({
      title: 'send path adopts a live runtime for every exception',
      severity: 'high',
      location: 'src/pickup.py:2015',
      flaggedBy: 'codex',
      sourceHash: '7b6e0124e810',
      body: [
        'The send path catches every exception from the runtime send call and',
        'adopts the live runtime, as if the runtime had answered busy. Auth failures',
        '(401/403), server errors (5xx), timeouts and connections lost after the send',
        'went out are all reported as healed, queued messages go back to pending, and',
        'the real failure never reaches the operator.',
      ].join('\n'),
      suggestedFix: [
        'Adopt the live runtime only for a 409 busy answer. Keep the',
        'error path for everything else, so that queue state, ticket state and the',
        'failure notice show what really happened.',
      ].join('\n'),
    });
  });

  it('reads labels that each stand on their own line, and keeps Markdown in the text', () => {
    const critical = records(parseFindingsMarkdown(findingsMarkdown))[2];
    expect(critical?.draft).toEqual({
      title: 'worktree path built from the ticket title without escaping',
      severity: 'critical',
      location: 'src/worktrees.py:88',
      flaggedBy: 'claude',
      sourceHash: '9ad4e61b0c33',
      body:
        'The worktree folder name is formatted from the ticket title and passed\n' +
        'to a shell. A title containing `$(...)` or `;` runs commands on the build box.',
      suggestedFix:
        'Derive the folder name from the ticket key only, keep it to\n' +
        '`[a-z0-9-]`, and pass arguments as an array without a shell.',
    });
  });

  it('matches label names case-insensitively and keeps unknown bold text as text', () => {
    const text = [
      '# A finding without a tag',
      '**SEVERITY:** High **flagged BY:** me',
      '**Issue:** first **Note:** not a label',
      'second line',
      '**suggested fix:** do it',
    ].join('\n');
    expect(records(parseFindingsMarkdown(text))).toEqual([
      {
        line: 1,
        draft: {
          title: 'A finding without a tag',
          severity: 'high',
          flaggedBy: 'me',
          body: 'first **Note:** not a label\nsecond line',
          suggestedFix: 'do it',
        },
      },
    ]);
  });

  it('leaves severity undefined when the finding has none', () => {
    const [record] = records(parseFindingsMarkdown('# Title only\n**Issue:** text'));
    expect(record?.draft).toEqual({ title: 'Title only', body: 'text' });
    expect(record?.draft.severity).toBeUndefined();
  });

  it('skips empty chunks between separators and allows spaces around a separator', () => {
    const text = '\n---\n# One\n  ---  \n\n   \n---\n\n# Two\n---\n';
    const parsed = records(parseFindingsMarkdown(text));
    expect(parsed.map((record) => [record.line, record.draft.title])).toEqual([
      [3, 'One'],
      [9, 'Two'],
    ]);
  });

  it('reads CRLF line endings and a byte-order mark like plain LF text', () => {
    const crlf = `\ufeff${findingsMarkdown.replace(/\n/g, '\r\n')}`;
    const parsed = records(parseFindingsMarkdown(crlf));
    expect(parsed).toEqual(records(parseFindingsMarkdown(findingsMarkdown)));
    expect(parsed[0]?.draft.title).toBe('send path adopts a live runtime for every exception');
    expect(parsed[0]?.draft.body).not.toContain('\r');
  });

  it('reports every problem of every finding with its line', () => {
    const text = [
      '**Severity:** high', // 1: no title
      '**Issue:** orphan',
      '---',
      '# Fine',
      '---',
      '', // 6
      '# Bad severity', // 7
      '**Location:** a.ts:1',
      '**Severity:** urgent', // 9
      '---',
      'just text', // 11: no title, and a bad severity on the next line
      '**Severity:** none',
    ].join('\n');
    expect(problems(parseFindingsMarkdown(text))).toEqual([
      { line: 1, message: 'finding has no title (a "# heading" line)' },
      {
        line: 9,
        field: 'severity',
        message: 'expected one of critical, high, medium, low, info, got "urgent"',
      },
      { line: 11, message: 'finding has no title (a "# heading" line)' },
      {
        line: 12,
        field: 'severity',
        message: 'expected one of critical, high, medium, low, info, got "none"',
      },
    ]);
  });

  it('refuses a label or a hash given twice', () => {
    const text = [
      '# Twice',
      '**Severity:** high',
      '**Issue:** one',
      '**Severity:** low',
      'auto-review-hash: a',
      'auto-review-hash: b',
    ].join('\n');
    expect(problems(parseFindingsMarkdown(text))).toEqual([
      {
        line: 4,
        field: 'severity',
        message: 'a second "**Severity:**" label; the first is on line 2',
      },
      {
        line: 6,
        field: 'sourceHash',
        message: 'a second "auto-review-hash:" line; the first is on line 5',
      },
    ]);
  });

  it('keeps free text as the body of a finding without an Issue label', () => {
    const text = '# Plain\nfirst paragraph\n\nsecond **Severity**: low\nauto-review-hash: ff';
    expect(records(parseFindingsMarkdown(text))).toEqual([
      {
        line: 1,
        draft: {
          title: 'Plain',
          severity: 'low',
          body: 'first paragraph\n\nsecond',
          sourceHash: 'ff',
        },
      },
    ]);
  });

  it('stops after 50 problems', () => {
    const text = Array.from({ length: 80 }, () => 'no title here').join('\n---\n');
    expect(problems(parseFindingsMarkdown(text))).toHaveLength(50);
  });

  it('parses 100,000 findings (60 MB) in linear time', () => {
    const finding = `# [auto-review] finding NUMBER\n**Severity:** high **Location:** src/a.ts:1 **Flagged by:** codex\n**Issue:** ${'word '.repeat(90)}\n${'more '.repeat(10)}\n**Suggested fix:** ${'fix '.repeat(5)}\nauto-review-hash: abc\n`;
    const text = Array.from({ length: 100_000 }, (_, i) =>
      finding.replace('NUMBER', String(i)),
    ).join('---\n');
    expect(text.length).toBeGreaterThan(60_000_000);
    const started = performance.now();
    const parsed = records(parseFindingsMarkdown(text));
    const elapsed = performance.now() - started;
    expect(parsed).toHaveLength(100_000);
    expect(parsed[99_999]?.draft.title).toBe('finding 99999');
    expect(elapsed).toBeLessThan(5_000);
  }, 30_000);

  it('stays fast on pathological lines', () => {
    const lines = [`# ${' '.repeat(200_000)}x`, `${'**'.repeat(100_000)}`, '*'.repeat(200_000)];
    const text = `${lines.join('\n')}\n**Issue:** ${'**Severity'.repeat(50_000)}`;
    const started = performance.now();
    const parsed = parseFindingsMarkdown(text);
    expect(performance.now() - started).toBeLessThan(1_000);
    // Read to the end: the title is found, and the 500 KB issue is over its limit.
    expect(problems(parsed)).toEqual([
      { line: 4, field: 'body', message: expect.stringContaining('too long: 488.3 KiB') },
    ]);
    const fitting = `${lines.join('\n')}\n**Issue:** ${'**Severity'.repeat(13_000)}`;
    expect(records(parseFindingsMarkdown(fitting))[0]?.draft.title).toBe('x');
  });
});

describe('draftFromObject', () => {
  it('accepts every draft field and ignores the export-only fields', () => {
    const result = draftFromObject(
      {
        key: 'MC-4429',
        title: 'send adopts a live runtime',
        severity: 'HIGH',
        state: 'needs_input',
        owner: null,
        location: 'mc_pickup.py:2015',
        flaggedBy: 'codex',
        sourceHash: '7b6e0124e810',
        body: 'text',
        suggestedFix: null,
        runtime: { host: 'local', id: 'rt_1', name: null, adopted: false },
        lastError: null,
        messages: [],
        events: [],
        createdAt: '2026-11-25T05:59:00Z',
        updatedAt: '2026-11-25T06:01:00Z',
      },
      3,
    );
    expect(result).toEqual({
      ok: true,
      draft: {
        key: 'MC-4429',
        title: 'send adopts a live runtime',
        severity: 'high',
        state: 'needs_input',
        owner: null,
        location: 'mc_pickup.py:2015',
        flaggedBy: 'codex',
        sourceHash: '7b6e0124e810',
        body: 'text',
        suggestedFix: null,
      },
    });
  });

  it('leaves severity undefined when absent', () => {
    expect(draftFromObject({ title: 'x' }, 1)).toEqual({ ok: true, draft: { title: 'x' } });
  });

  it.each<[string, unknown, RecordProblem[]]>([
    ['a non-object', 'text', [{ line: 7, message: 'expected an object' }]],
    ['an array', [], [{ line: 7, message: 'expected an object' }]],
    ['null', null, [{ line: 7, message: 'expected an object' }]],
    [
      'a missing title',
      { severity: 'low' },
      [{ line: 7, field: 'title', message: 'required: a non-empty string' }],
    ],
    [
      'a blank title',
      { title: '  ' },
      [{ line: 7, field: 'title', message: 'expected a non-empty string, got "  "' }],
    ],
    [
      'an unknown severity',
      { title: 't', severity: 'urgent' },
      [
        {
          line: 7,
          field: 'severity',
          message: 'expected one of critical, high, medium, low, info, got "urgent"',
        },
      ],
    ],
    [
      'an unknown state',
      { title: 't', state: 'open' },
      [
        {
          line: 7,
          field: 'state',
          message: 'expected one of todo, in_progress, needs_input, review, done, got "open"',
        },
      ],
    ],
    [
      'an unknown field',
      { title: 't', priority: 1 },
      [{ line: 7, field: 'priority', message: 'unknown field "priority"' }],
    ],
    [
      'a wrong type',
      { title: 't', owner: 42 },
      [{ line: 7, field: 'owner', message: 'expected a string or null, got 42' }],
    ],
    [
      'a bad key',
      { key: 'not a key', title: 't' },
      [{ line: 7, field: 'key', message: `"not a key" is not a valid ticket key: ${KEY_RULE}` }],
    ],
  ])('refuses %s', (_name, value, expected) => {
    expect(draftFromObject(value, 7)).toEqual({ ok: false, problems: expected });
  });

  it('reports all problems of one object', () => {
    const result = draftFromObject(
      { title: 5, severity: 'x', body: [], location: {}, extra: true, key: 'a b' },
      2,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.field).sort()).toEqual(
      ['body', 'extra', 'key', 'location', 'severity', 'title'].sort(),
    );
    expect(result.problems.every((problem) => problem.line === 2)).toBe(true);
  });
});

describe('parseJsonArray', () => {
  it('reads the tickets fixture with the line each element starts on', () => {
    const parsed = records(parseJsonArray(ticketsJson));
    expect(parsed.map((record) => [record.line, record.draft.key])).toEqual([
      [2, 'OPS-101'],
      [4, 'OPS-102'],
      [6, 'OPS-103'],
      [8, 'OPS-104'],
      [10, 'OPS-105'],
      [12, 'OPS-106'],
    ]);
    expect(parsed[3]?.draft).toMatchObject({
      title: 'Builder in mc-4428 waits for approval',
      severity: 'high',
      state: 'needs_input',
      owner: 'ops',
    });
    expect(parsed[1]?.draft.location).toBe('test/integration/runtimes.test.ts:77');
  });

  it('is not confused by brackets, braces and escaped quotes inside strings', () => {
    const text = [
      '[',
      '  {"title": "a \\"[\\" {", "body": "]}\\\\"},',
      '',
      '  {"title": "b",',
      '   "body": ","}',
      ']',
    ].join('\n');
    expect(
      records(parseJsonArray(text)).map((record) => [record.line, record.draft.title]),
    ).toEqual([
      [2, 'a "[" {'],
      [4, 'b'],
    ]);
  });

  it('reads CRLF line endings and a byte-order mark', () => {
    const text = `\ufeff${ticketsJson.replace(/\n/g, '\r\n')}`;
    expect(records(parseJsonArray(text)).map((record) => record.line)).toEqual([
      2, 4, 6, 8, 10, 12,
    ]);
  });

  it.each<[string, string, RecordProblem[]]>([
    [
      'an element on line 3 missing its title',
      '[\n  {"title": "ok"},\n  {"body": "no title"}\n]',
      [{ line: 3, field: 'title', message: 'required: a non-empty string' }],
    ],
    [
      'an unknown field on line 2',
      '[\n  {"title": "t", "prio": 1}\n]',
      [{ line: 2, field: 'prio', message: 'unknown field "prio"' }],
    ],
    [
      'an element that is not an object',
      '[\n  {"title": "t"},\n\n  "text"\n]',
      [{ line: 4, message: 'expected an object' }],
    ],
    [
      'a value that is neither an array nor an object',
      '42',
      [{ line: 1, message: 'expected a JSON array of tickets, or one ticket object' }],
    ],
  ])('refuses %s', (_name, text, expected) => {
    expect(problems(parseJsonArray(text))).toEqual(expected);
  });

  it.each<[string, string, number]>([
    [
      'a missing comma (the engine gives a position)',
      '[\n  {"title": "a"}\n  {"title": "b"}\n]',
      3,
    ],
    ['a trailing comma (the engine gives no position)', '[\n  {"title": "a"},\n]', 3],
    ['a bad literal', '[\n  {"title": "a"},\n  {"title": tru}\n]', 3],
    ['an unquoted key', '[\n\n  {title: "a"}\n]', 3],
    ['unexpected end of input', '[\n  {"title": "a"},\n  {"title": "b"\n\n', 3],
    ['an empty file', '', 1],
    ['text after the array', '[]\n\nmore', 3],
  ])('reports a JSON syntax error at its line: %s', (_name, text, line) => {
    const [problem, ...others] = problems(parseJsonArray(text));
    expect(others).toEqual([]);
    expect(problem?.line).toBe(line);
    expect(problem?.message).toMatch(/^invalid JSON: /);
    expect(problem?.field).toBeUndefined();
  });

  it('reports problems of all elements, up to 50', () => {
    const few = `[${Array.from({ length: 3 }, () => '\n{"body": "x"}').join(',')}\n]`;
    expect(problems(parseJsonArray(few)).map((problem) => problem.line)).toEqual([2, 3, 4]);
    const many = `[${Array.from({ length: 200 }, () => '{"x": 1}').join(',\n')}]`;
    expect(problems(parseJsonArray(many))).toHaveLength(50);
  });
});

describe('parseNdjson', () => {
  it('reads one object per line and skips blank lines', () => {
    const text = '{"title": "a"}\r\n\r\n{"title": "b", "severity": "Low"}\r\n';
    expect(records(parseNdjson(`\ufeff${text}`))).toEqual([
      { line: 1, draft: { title: 'a' } },
      { line: 3, draft: { title: 'b', severity: 'low' } },
    ]);
  });

  it('reports a bad line and a bad record with their line numbers', () => {
    const text = ['{"title": "a"}', '', '{"title": "b",', '{"title": 1}', '[1]'].join('\n');
    const found = problems(parseNdjson(text));
    expect(found.map((problem) => [problem.line, problem.field])).toEqual([
      [3, undefined],
      [4, 'title'],
      [5, undefined],
    ]);
    expect(found[0]?.message).toMatch(/^invalid JSON: /);
    expect(found[2]?.message).toBe('expected an object');
  });
});

describe('detectFormat and parseImportText', () => {
  it.each<[string, string, ImportFormat]>([
    ['findings.md', '[not json', 'markdown'],
    ['FINDINGS.Markdown', '{', 'markdown'],
    ['tickets.json', '[{"title": "a"}]', 'json'],
    ['tickets.json', '\ufeff  \n[]', 'json'],
    ['tickets.json', '{"title": "a"}', 'json'],
    ['tickets.json', '{\n  "title": "a",\n  "messages": [\n    {"id": "m"}\n  ]\n}', 'json'],
    ['tickets.json', '{"title": "a"}\n{"title": "b"}\n', 'ndjson'],
    ['tickets.json', '\n{"title": "a"}\r\n\r\n{"title": "b"}', 'ndjson'],
    ['tickets.ndjson', '[]', 'ndjson'],
    ['tickets.JSONL', '', 'ndjson'],
    ['export', '  [\n]', 'json'],
    ['export.txt', '\ufeff{"title": "a"}', 'ndjson'],
    ['dir.json/notes', '# heading', 'markdown'],
    ['', '', 'markdown'],
  ])('detectFormat(%j, %j) is %s', (fileName, text, format) => {
    expect(detectFormat(fileName, text)).toBe(format);
  });

  it('dispatches to the parser of the format', () => {
    expect(records(parseImportText('findings.md', findingsMarkdown))).toHaveLength(6);
    expect(records(parseImportText('tickets.json', ticketsJson))).toHaveLength(6);
    expect(records(parseImportText('t.jsonl', '{"title": "a"}\n{"title": "b"}'))).toHaveLength(2);
    expect(records(parseImportText('notes.txt', findingsMarkdown))).toHaveLength(6);
  });
});
