import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinTerm, TerminalText, term, termBlock, termTable } from '../../src/cli/terminal-text.js';

/**
 * Everything the CLI prints goes through one path: output.ts, which writes only `TerminalText`
 * (made by builders that sanitise every value) and escaped JSON. A new direct write in src/cli
 * would bypass it; this test finds one.
 */

const CLI = resolve(import.meta.dirname, '..', '..', 'src', 'cli');
/** The print path itself. */
const PRINT_PATH = new Set(['output.ts', 'terminal-text.ts']);
/**
 * The launcher prints the build's own version before anything else is loaded (`--version` must
 * cost little more than starting Node): a constant, not text from outside.
 */
const ALLOWED = new Map([['entry.ts', 'process.stdout.write(`\u0024{version}\\n`);']]);

/** Ways to reach a stream without output.ts. Written with escapes so this file is not a match. */
const DIRECT_WRITES: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /\.write\(/, what: 'a direct stream write' },
  { pattern: /\.end\(\s*[^)\s]/, what: 'a stream ended with text' },
  { pattern: /\bwriteSync\(/, what: 'a synchronous file-descriptor write' },
  { pattern: /\bconsole\.[a-z]+\(/, what: 'console output' },
  { pattern: /process\.(?:stdout|stderr)\.(?:write|end)\b/, what: 'a process stream write' },
];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Each direct write in `text` (the file `name` of src/cli), as `name:line: what: code`. */
function directWrites(name: string, text: string): string[] {
  if (PRINT_PATH.has(name)) return [];
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    const code = line.trim();
    if (code.startsWith('//') || code.startsWith('*') || ALLOWED.get(name) === code) return;
    for (const { pattern, what } of DIRECT_WRITES) {
      if (pattern.test(line)) found.push(`${name}:${index + 1}: ${what}: ${code}`);
    }
  });
  return found;
}

describe('the CLI prints through one path', () => {
  it('no file of src/cli writes to a stream but output.ts', () => {
    const found = sourceFiles(CLI).flatMap((file) =>
      directWrites(relative(CLI, file), readFileSync(file, 'utf8')),
    );
    expect(found).toEqual([]);
  });

  it('the check itself sees each kind of direct write', () => {
    const samples = [
      'ctx.io.stdout.write(`\u0024{runtime.name}\\n`);',
      "stream.end('bye');",
      'writeSync(1, text);',
      'console.log(name);',
      'process.stderr.write(text)',
    ];
    for (const sample of samples) {
      expect(directWrites('commands/x.ts', sample).length, sample).toBeGreaterThan(0);
    }
    expect(directWrites('output.ts', samples[0] as string)).toEqual([]);
  });
});

describe('terminal text', () => {
  const HOSTILE = 'codex\x1b]52;c;SGVsbG8=\x07\x1b]0;owned\x07\x9b2J\u202eevil\nforged row\tx';

  it('shows every value on one line, with no escape, control or bidi override', () => {
    const text = term`delivered to ${HOSTILE} (${3})\n`.text;
    expect(text).toBe('delivered to codexevil forged row x (3)\n');
  });

  it('keeps terminal text it is given, and a block keeps its lines but not its escapes', () => {
    const block = termBlock(`first ${HOSTILE}\n  hint`);
    expect(block.text).toBe('first codexevil\nforged row\tx\n  hint');
    expect(term`control-room: ${block}\n`.text).toBe(`control-room: ${block.text}\n`);
    expect(joinTerm([term`a`, term`b`], ', ').text).toBe('a, b');
  });

  it('a table pads by terminal columns, and no cell can add a row', () => {
    const table = termTable(
      ['NAME', 'PROFILE'],
      [
        [HOSTILE, '漢字'],
        ['plain', 'x'],
      ],
    ).text;
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(table).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(lines[0]?.indexOf('PROFILE')).toBe(lines[2]?.indexOf('x'));
  });

  it('the screen clear is the one control sequence, and it is ours', () => {
    expect(TerminalText.CLEAR_SCREEN.text).toBe('\x1b[2J\x1b[H');
  });

  it('is made only by its builders: text of the same shape is not terminal text', () => {
    const forged = { text: '\x1b]52;c;SGVsbG8=\x07', toString: () => '' };
    // @ts-expect-error: the print path takes no look-alike (tsc fails should this compile).
    const shown: TerminalText = forged;
    expect(shown).toBe(forged);
  });
});
