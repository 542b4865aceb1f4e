import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BoundCli, describeResult, homeCli, parseJson } from './helpers/cli.js';

/** A config problem is not usage or input (`exitCodeFor` in src/domain/errors.ts): exit 1. */
const CONFIG_EXIT = 1;

async function withConfig(text: string): Promise<{ cr: BoundCli; file: string }> {
  const cr = await homeCli();
  const file = join(cr.home, 'config.yaml');
  await writeFile(file, text);
  return { cr, file };
}

describe('config.yaml in the home', () => {
  it('an unknown key is refused with the file, the line and the key', async () => {
    const { cr, file } = await withConfig('keyPrefix: OPS\ncolour: red\ntheme: dark\n');
    const result = await cr('tickets', 'list');
    expect(result.code, describeResult(result)).toBe(CONFIG_EXIT);
    expect(result.stderr).toContain(`${file}:2: colour: unknown setting`);
    expect(result.stderr).toContain('keyPrefix, theme, profiles, runtimeFolder, sendTimeoutMs');
    expect(result.stdout).toBe('');
  });

  it('invalid YAML is refused with the file and the line', async () => {
    const { cr, file } = await withConfig('keyPrefix: OPS\ntheme: dark: x\nsendTimeoutMs: 200\n');
    const result = await cr('tickets', 'list');
    expect(result.code, describeResult(result)).toBe(CONFIG_EXIT);
    expect(result.stderr).toContain(`${file}:2: not valid YAML`);
  });

  it('a bad value is refused with the line and the key', async () => {
    const { cr, file } = await withConfig("theme: dark\nkeyPrefix: '1x'\n");
    const result = await cr('tickets', 'add', '--title', 'not added');
    expect(result.code, describeResult(result)).toBe(CONFIG_EXIT);
    expect(result.stderr).toContain(`${file}:2: keyPrefix: expected a letter`);
    expect(result.stdout).toBe('');
  });

  it('a bad config stops commands before they write anything', async () => {
    const { cr, file } = await withConfig('sendTimeoutMs: 5\n');
    const result = await cr('tickets', 'add', '--title', 'not added');
    expect(result.code, describeResult(result)).toBe(CONFIG_EXIT);
    expect(result.stderr).toContain(`${file}:1: sendTimeoutMs: expected at least 100 ms`);
    await writeFile(file, '');
    const list = await cr('--json', 'tickets', 'list');
    expect(list.code, describeResult(list)).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('a valid keyPrefix makes tickets add assign OPS-1', async () => {
    const { cr } = await withConfig('# our prefix\nkeyPrefix: OPS\n');
    const result = await cr('tickets', 'add', '--title', 'first one');
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toBe('OPS-1\n');
    const second = await cr('tickets', 'add', '--title', 'second one');
    expect(second.stdout).toBe('OPS-2\n');
  });

  it('every problem is reported at once, with its line and key; doctor shows them all', async () => {
    const { cr, file } = await withConfig(
      [
        'colour: red',
        'profiles:',
        '  mine:',
        '    command: [aider]',
        '    detecter: aider',
        '    detector: cobol',
        'keys:',
        '  list.down: [n, jj]',
        '  list.dwn: [x]',
        '',
      ].join('\n'),
    );
    const expected = [
      `${file}:1: colour: unknown setting; known: keyPrefix, theme, profiles,`,
      `${file}:5: profiles.mine.detecter: unknown setting; known: command, env, detector`,
      `${file}:6: profiles.mine.detector: unknown detector; known: codex, claude, aider,`,
      `${file}:8: keys.list.down.1: "jj" is not a key`,
      `${file}:9: keys.list.dwn: no such command`,
    ];
    const list = await cr('tickets', 'list');
    expect(list.code, describeResult(list)).toBe(CONFIG_EXIT);
    expect(list.stderr).toContain(`control-room: ${file}: 5 problems\n`);
    for (const line of expected) expect(list.stderr).toContain(`  ${line}`);

    // The control room refuses to start on it too (before it asks for a terminal).
    const tui = await cr();
    expect(tui.code, describeResult(tui)).toBe(CONFIG_EXIT);
    expect(tui.stderr).toContain(`${file}: 5 problems`);

    const doctor = await cr('--json', 'doctor');
    expect(doctor.code, describeResult(doctor)).toBe(1);
    const config = parseJson<{ checks: { name: string; status: string; detail: string }[] }>(
      doctor,
    ).checks.find((c) => c.name === 'config');
    expect(config?.status).toBe('fail');
    for (const line of expected) expect(config?.detail).toContain(line);
  });

  it('an alias bomb is refused with its line, not expanded, and not a stack trace', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, from] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ]) {
      levels.push(`${name}: &${name} [${Array(10).fill(`*${from}`).join(', ')}]`);
    }
    const { cr, file } = await withConfig(`keyPrefix: OPS\n${levels.join('\n')}\n`);
    const result = await cr('tickets', 'list');
    expect(result.code, describeResult(result)).toBe(CONFIG_EXIT);
    expect(result.stderr).toContain(`${file}:3: its aliases expand past YAML's limit of 100`);
    expect(result.stderr).not.toContain('unexpected failure');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
