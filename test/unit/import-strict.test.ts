import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8 } from '../../src/domain/utf8.js';
import { duplicateKeys } from '../../src/services/import/json-keys.js';
import { parseJsonArray, parseNdjson } from '../../src/services/import/parse-json.js';
import { parseFindingsMarkdown } from '../../src/services/import/parse-markdown.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Bytes near the edges of UTF-8: valid text, stray continuation and lead bytes, cut sequences. */
const utf8ish = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary' }).map((s) => [...Buffer.from(s, 'utf8')]),
      fc.constantFrom(
        [0x80],
        [0xbf],
        [0xc0, 0xaf], // overlong "/"
        [0xc1, 0xbf],
        [0xc2],
        [0xe0, 0x80, 0x80], // overlong
        [0xe0, 0xa0],
        [0xed, 0xa0, 0x80], // a surrogate
        [0xed, 0x9f, 0xbf], // U+D7FF, valid
        [0xef, 0xbf, 0xbd], // U+FFFD itself, valid
        [0xf0, 0x8f, 0xbf, 0xbf], // overlong
        [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
        [0xf4, 0x8f, 0xbf, 0xbf], // U+10FFFF, valid
        [0xf5],
        [0xff],
        [0x0a],
      ),
      fc.integer({ min: 0, max: 255 }).map((b) => [b]),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

function decodes(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

describe('the first byte that is not UTF-8', () => {
  it('is found exactly when the strict decoder refuses, where the valid text ends', () => {
    fc.assert(
      fc.property(utf8ish, (bytes) => {
        const at = firstInvalidUtf8(bytes);
        expect(at === -1).toBe(decodes(bytes));
        if (at === -1) return;
        // Everything before it is UTF-8, and the decoder's replacement starts there.
        expect(decodes(bytes.subarray(0, at))).toBe(true);
        const rest = lenient.decode(bytes.subarray(at));
        expect(rest.startsWith('\ufffd')).toBe(true);
        expect([...bytes.subarray(at, at + 3)]).not.toEqual([0xef, 0xbf, 0xbd]);
      }),
      { numRuns: 5000 },
    );
  });

  it('is reported by line and by byte of its line', () => {
    const bytes = Buffer.concat([Buffer.from('one\ntwo\nthr'), Buffer.from([0xe9, 0x0a])]);
    expect(decodeUtf8(bytes)).toEqual({ ok: false, offset: 11, line: 3, column: 4, byte: 0xe9 });
    expect(decodeUtf8(Buffer.from('\ufeffplain é'))).toEqual({ ok: true, text: 'plain é' });
  });
});

/** A JSON value whose objects may repeat a key, and the first repeat in the order of the text. */
type Value = null | number | string | Value[] | { entries: [string, Value][] };

const KEYS = ['a', 'b', 'title', 'é', '"q"', '\\'];

const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.integer(),
    fc.string({ maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 4 })
      .map((entries) => ({ entries })),
  ),
})).value;

/** Writes a key as plain text or with every letter escaped: the scanner must decode both. */
function render(v: Value, escapeKeys: boolean, keys: { key: string; at: number }[], out: string[]) {
  const length = () => out.reduce((n, s) => n + s.length, 0);
  if (v === null || typeof v !== 'object') {
    out.push(JSON.stringify(v));
  } else if (Array.isArray(v)) {
    out.push('[ ');
    v.forEach((item, i) => {
      if (i > 0) out.push(' ,\n');
      render(item, escapeKeys, keys, out);
    });
    out.push(']');
  } else {
    out.push('{');
    v.entries.forEach(([key, item], i) => {
      if (i > 0) out.push(',');
      keys.push({ key, at: length() });
      const written = escapeKeys
        ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`
        : JSON.stringify(key);
      out.push(written, ' : ');
      render(item, escapeKeys, keys, out);
    });
    out.push('}');
  }
}

/** The repeats, each with the first key of its object it repeats, in the order of the text. */
function expectedRepeats(v: Value, text: string): { key: string; firstAt: number; at: number }[] {
  const found: { key: string; firstAt: number; at: number }[] = [];
  const out: string[] = [];
  const keys: { key: string; at: number }[] = [];
  render(v, false, keys, out);
  expect(out.join('')).toBe(text);
  let k = 0;
  const walk = (node: Value) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const seen = new Map<string, number>();
    for (const [key, item] of node.entries) {
      const at = (keys[k++] as { at: number }).at;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, at);
      else found.push({ key, firstAt: first, at });
      walk(item);
    }
  };
  walk(v);
  return found.sort((x, y) => x.at - y.at);
}

describe('duplicate keys in JSON', () => {
  it('are every key that repeats one of its own object, in the order of the text', () => {
    fc.assert(
      fc.property(value, (v) => {
        const out: string[] = [];
        render(v, false, [], out);
        const text = out.join('');
        expect(() => JSON.parse(text)).not.toThrow();
        expect(duplicateKeys(text)).toEqual(expectedRepeats(v, text));
        // Written with escapes the keys are the same keys, so the same repeats are found.
        const escaped: string[] = [];
        render(v, true, [], escaped);
        const found = duplicateKeys(escaped.join(''));
        expect(found.map((d) => d.key)).toEqual(expectedRepeats(v, text).map((d) => d.key));
      }),
      { numRuns: 3000 },
    );
  });

  it('survive nesting too deep for recursion, and a string full of quotes and braces', () => {
    const deep = `${'['.repeat(100_000)}{"a":1,"a":2}${']'.repeat(100_000)}`;
    expect(duplicateKeys(deep)).toEqual([{ key: 'a', firstAt: 100_001, at: 100_007 }]);
    const tricky = JSON.stringify({ a: '\\"}{,"a":', b: { a: 1 }, c: '\\' });
    expect(duplicateKeys(tricky)).toEqual([]);
  });

  it('refuse the file with the line of each repeat, in JSON and NDJSON', () => {
    const array = parseJsonArray('[\n{"title": "x",\n "body": "1",\n "body": "2"}\n]');
    expect(array).toEqual({
      ok: false,
      problems: [
        {
          line: 4,
          field: 'body',
          message: 'the key "body" is given twice in one object (first on line 3); give it once',
        },
      ],
    });
    const ndjson = parseNdjson('{"title": "ok"}\n{"title": "x", "title": "y", "owner": 3}\n');
    expect(ndjson.ok ? [] : ndjson.problems.map((p) => [p.line, p.field])).toEqual([
      [2, 'title'],
      [2, 'owner'],
    ]);
  });
});

describe('field limits in Markdown', () => {
  it('name the line of the label whose value is too long', () => {
    const text = [
      '# fine',
      '**Severity:** low',
      `**Location:** ${'p'.repeat(4097)}`,
      '**Suggested fix:** short',
    ].join('\n');
    const result = parseFindingsMarkdown(text);
    expect(result.ok ? [] : result.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'location'],
    ]);
  });
});
