import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BoundCli,
  describeResult,
  homeCli,
  parseJson,
  type TicketJson,
} from './helpers/cli.js';

/**
 * Import files that are too big, not UTF-8, or that say a field twice: each is refused with
 * exit 2, `file:line: field: reason` and what to do, and nothing of it is written (the good
 * records before the bad one included). The limits are those of `cli.md`.
 */

interface HostileCase {
  name: string;
  file: string;
  content: string | Buffer;
  /** What stderr must say after `control-room: `. */
  expected: string;
}

const MB30 = 'lorem ipsum dolor sit amet\n'.repeat(Math.ceil(30_000_000 / 27));
const latin1 = (text: string) => Buffer.from(text, 'latin1');

const CASES: HostileCase[] = [
  {
    name: 'a JSON body of 30 MB',
    file: 'huge-body.json',
    content: `[\n  {"title": "a good one"},\n  {"title": "huge",\n   "body": ${JSON.stringify(MB30)}}\n]\n`,
    expected: `huge-body.json:3: body: too long: 28.6 MiB (${MB30.length} bytes of UTF-8), at most 128 KiB`,
  },
  {
    name: 'a Markdown issue over 128 KiB',
    file: 'long-issue.md',
    content: [
      '# a good finding',
      '**Severity:** low',
      '---',
      '# a long one',
      '**Severity:** high',
      `**Issue:** ${'x'.repeat(128 * 1024 + 1)}`,
      '',
    ].join('\n'),
    expected: 'long-issue.md:6: body: too long: 128.0 KiB (131073 bytes of UTF-8), at most 128 KiB',
  },
  {
    name: 'a Markdown title over 1 KiB (in bytes: 600 two-byte letters)',
    file: 'long-title.md',
    content: ['# a good finding', '---', `# ${'é'.repeat(600)}`, '**Severity:** low', ''].join(
      '\n',
    ),
    expected: 'long-title.md:3: title: too long: 1.2 KiB (1200 bytes of UTF-8), at most 1 KiB',
  },
  {
    name: 'an NDJSON suggested fix over 64 KiB',
    file: 'long-fix.ndjson',
    content: `{"title": "good"}\n${JSON.stringify({ title: 't', suggestedFix: 'y'.repeat(70_000) })}\n`,
    expected:
      'long-fix.ndjson:2: suggestedFix: too long: 68.4 KiB (70000 bytes of UTF-8), at most 64 KiB',
  },
  {
    name: 'a Latin-1 byte in Markdown',
    file: 'latin1.md',
    content: latin1('# a good finding\n**Severity:** low\n---\n# caf\u00e9 au lait\n'),
    expected:
      'latin1.md:4: byte 0xe9 (byte 6 of the line) is not UTF-8 text; save the file as UTF-8',
  },
  {
    name: 'a byte that is not UTF-8 inside a JSON string',
    file: 'bad-bytes.json',
    content: Buffer.concat([
      Buffer.from('[\n  {"title": "fine"},\n  {"title": "bro'),
      Buffer.from([0xff]),
      Buffer.from('ken"}\n]\n'),
    ]),
    expected: 'bad-bytes.json:3: byte 0xff (byte 17 of the line) is not UTF-8 text',
  },
  {
    name: 'an NDJSON file cut in the middle of a character',
    file: 'cut.ndjson',
    content: Buffer.concat([
      Buffer.from('{"title": "one"}\n{"title": "two"}\n{"title": "euro '),
      Buffer.from([0xe2, 0x82]),
    ]),
    expected: 'cut.ndjson:3: byte 0xe2 (byte 17 of the line) is not UTF-8 text',
  },
  {
    name: 'a key given twice in a JSON object',
    file: 'twice.json',
    content: '[\n  {"title": "a"},\n  {"title": "b",\n   "title": "c"}\n]\n',
    expected:
      'twice.json:4: title: the key "title" is given twice in one object (first on line 3); give it once',
  },
  {
    name: 'a key given twice on an NDJSON line, once written with an escape',
    file: 'twice.ndjson',
    content: '{"title": "x"}\n{"title": "y", "sever\\u0069ty": "low", "severity": "high"}\n',
    expected:
      'twice.ndjson:2: severity: the key "severity" is given twice in one object (earlier on this line)',
  },
  {
    name: 'a key given twice in a nested object of one ticket',
    file: 'nested.json',
    content: '{\n  "title": "t",\n  "runtime": {"id": "a",\n    "id": "b"}\n}\n',
    expected: 'nested.json:4: id: the key "id" is given twice in one object (first on line 3)',
  },
];

/** Runs a command in the home folder, so files are named relative to it (as stderr shows). */
function inHome(cr: BoundCli, ...args: string[]) {
  return cr.with({ cwd: cr.home, timeoutMs: 120_000 }, ...args);
}

describe('tickets import refuses hostile files with their line, and writes nothing', () => {
  for (const c of CASES) {
    it(`refuses ${c.name}`, async () => {
      const cr = await homeCli();
      await writeFile(join(cr.home, c.file), c.content);
      const result = await inHome(cr, 'tickets', 'import', c.file);
      expect(result.code, describeResult(result)).toBe(2);
      expect(result.stderr).toContain(`control-room: ${c.expected}`);
      expect(result.stderr).toContain(`${c.file}: nothing imported from this file`);
      expect(result.stdout).toBe('');
      expect(parseJson<TicketJson[]>(await cr('--json', 'tickets', 'list'))).toEqual([]);
    }, 120_000);
  }

  it('imports a file at every limit exactly', async () => {
    const cr = await homeCli();
    const ticket = {
      title: 't'.repeat(1024),
      owner: 'o'.repeat(1024),
      location: 'l'.repeat(4096),
      flaggedBy: 'f'.repeat(1024),
      sourceHash: 'h'.repeat(1024),
      body: 'b'.repeat(128 * 1024),
      suggestedFix: 's'.repeat(64 * 1024),
    };
    await writeFile(join(cr.home, 'edge.json'), JSON.stringify([ticket]));
    const result = await inHome(cr, 'tickets', 'import', 'edge.json');
    expect(result.code, describeResult(result)).toBe(0);
    const [stored] = parseJson<TicketJson[]>(await cr('--json', 'tickets', 'list'));
    expect(stored).toMatchObject(ticket);
  });
});

describe('tickets add takes the same limits', () => {
  it('refuses a title over 1 KiB, naming the option, and adds nothing', async () => {
    const cr = await homeCli();
    const result = await cr('tickets', 'add', '--title', 'x'.repeat(1025));
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain(
      '--title: too long: 1.0 KiB (1025 bytes of UTF-8), at most 1 KiB',
    );
    expect(parseJson<TicketJson[]>(await cr('--json', 'tickets', 'list'))).toEqual([]);
  });

  it('refuses a body file over 128 KiB, and one that is not UTF-8, naming the file', async () => {
    const cr = await homeCli();
    const big = join(cr.home, 'big.txt');
    await writeFile(big, 'z'.repeat(200_000));
    const tooBig = await cr('tickets', 'add', '--title', 't', '--body-file', big);
    expect(tooBig.code, describeResult(tooBig)).toBe(2);
    expect(tooBig.stderr).toContain(`${big}: --body-file: too long: 195.3 KiB`);

    const latin = join(cr.home, 'latin1.txt');
    await writeFile(latin, latin1('first line\nna\u00efve\n'));
    const notUtf8 = await cr('tickets', 'add', '--title', 't', '--body-file', latin);
    expect(notUtf8.code, describeResult(notUtf8)).toBe(2);
    expect(notUtf8.stderr).toContain(`${latin}:2: byte 0xef (byte 3 of the line) is not UTF-8`);

    const fromStdin = await cr.with(
      { stdin: Buffer.from([0x6f, 0x6b, 0x0a, 0xc3]) },
      'tickets',
      'add',
      '--title',
      't',
      '--body-file',
      '-',
    );
    expect(fromStdin.code, describeResult(fromStdin)).toBe(2);
    expect(fromStdin.stderr).toContain('-:2: byte 0xc3 (byte 1 of the line) is not UTF-8');
    expect(parseJson<TicketJson[]>(await cr('--json', 'tickets', 'list'))).toEqual([]);
  });
});
