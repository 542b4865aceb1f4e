import { statSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult, homeCli, parseJson } from './helpers/cli.js';

const TOKEN = 'cr-test-token-5f2a9c';

describe('hosts', () => {
  it('keeps the token in a 0600 file of the state folder and never prints it', async () => {
    const cr = await homeCli();
    const tokenFile = join(cr.home, 'token.txt');
    await writeFile(tokenFile, `${TOKEN}\n`);
    const added = await cr(
      'hosts',
      'add',
      'buildbox',
      'http://127.0.0.1:7420/',
      '--token-file',
      tokenFile,
    );
    expect(added.code, describeResult(added)).toBe(0);
    const outputs = [
      added,
      await cr('hosts', 'list'),
      await cr('--json', 'hosts', 'list'),
      await cr('doctor'),
    ];
    for (const result of outputs) {
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
    }
    const listed = parseJson<{ name: string; url: string; token: boolean }[]>(outputs[2] ?? added);
    expect(listed).toEqual([
      expect.objectContaining({ name: 'buildbox', url: 'http://127.0.0.1:7420', token: true }),
    ]);
    const stored = join(cr.home, 'host-tokens', 'buildbox.token');
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    expect(statSync(join(cr.home, 'host-tokens')).mode & 0o777).toBe(0o700);
    expect((await readFile(stored, 'utf8')).trim()).toBe(TOKEN);
    // Nowhere else: not in the config, not in the database file's text.
    for (const file of await readdir(cr.home)) {
      if (file === 'token.txt' || file === 'host-tokens') continue;
      expect((await readFile(join(cr.home, file))).includes(TOKEN), file).toBe(false);
    }

    const removed = await cr('hosts', 'remove', 'buildbox');
    expect(removed.code, describeResult(removed)).toBe(0);
    expect(parseJson<unknown[]>(await cr('--json', 'hosts', 'list'))).toEqual([]);
    expect(() => statSync(stored)).toThrow();
  });

  it.each([
    [['hosts', 'add', 'local', 'http://x:1'], /this machine/],
    [['hosts', 'add', 'Bad_Name', 'http://x:1'], /not a host name/],
    [['hosts', 'add', 'bb', 'ftp://x'], /not http or https/],
    [['hosts', 'add', 'bb', 'http://user:secret@x:1'], /token-file/],
    [['hosts', 'add', 'bb', 'not a url'], /not an address/],
  ])('refuses %j with exit 2', async (args, message) => {
    const cr = await homeCli();
    const result = await cr(...args);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('secret');
  });

  it('says when a host to remove does not exist', async () => {
    const cr = await homeCli();
    const result = await cr('hosts', 'remove', 'nope');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no host nope/);
  });
});
