import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BoundCli, describeResult, homeCli } from './helpers/cli.js';

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
});
