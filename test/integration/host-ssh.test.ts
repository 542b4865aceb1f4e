import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { HostRepository } from '../../src/adapters/db/host-repository.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/adapters/db/migrations.js';
import { runCli } from '../../src/cli/main.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';

/** A host's SSH destination (migration 4): stored, read back, replaced, and set by `hosts add`. */

const T0 = '2026-11-25T06:00:00Z';
const temp = tempDirsPerTest();

function repository(): { repo: HostRepository; file: string; dir: string } {
  const dir = temp.make();
  const file = path.join(dir, 'control-room.db');
  const db = temp.closeLater(openDatabase(file));
  return { repo: new HostRepository(db, file, path.join(dir, 'host-tokens')), file, dir };
}

describe('HostRepository and the SSH destination', () => {
  it('stores a destination and reads it back with get and list', async () => {
    const { repo } = repository();
    await repo.save({ name: 'buildbox', url: 'http://b:7420', createdAt: T0, ssh: 'me@b' }, null);
    await repo.save({ name: 'api', url: 'http://a:7420', createdAt: T0 }, null);

    expect(repo.get('buildbox')).toEqual({
      name: 'buildbox',
      url: 'http://b:7420',
      createdAt: T0,
      ssh: 'me@b',
    });
    expect(repo.list().map((h) => [h.name, h.ssh])).toEqual([
      ['api', null],
      ['buildbox', 'me@b'],
    ]);
  });

  it('replaces the destination with the host, and clears it when the new one has none', async () => {
    const { repo } = repository();
    await repo.save({ name: 'bb', url: 'http://b:1', createdAt: T0, ssh: 'me@old' }, null);
    await repo.save({ name: 'bb', url: 'http://b:2', createdAt: T0, ssh: 'me@new' }, null);
    expect(repo.get('bb')?.ssh).toBe('me@new');
    await repo.save({ name: 'bb', url: 'http://b:3', createdAt: T0 }, null);
    expect(repo.get('bb')).toMatchObject({ url: 'http://b:3', ssh: null });
  });

  it('migrates a version 3 database: its hosts keep everything and have no destination', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    const old = new Database(file);
    for (const step of MIGRATIONS.slice(0, 3)) old.exec(step);
    old.pragma('user_version = 3');
    old
      .prepare('INSERT INTO hosts (name, url, created_at) VALUES (?, ?, ?)')
      .run('buildbox', 'http://b:7420', T0);
    old.close();

    const db = temp.closeLater(openDatabase(file));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const repo = new HostRepository(db, file, path.join(dir, 'host-tokens'));
    expect(repo.get('buildbox')).toEqual({
      name: 'buildbox',
      url: 'http://b:7420',
      createdAt: T0,
      ssh: null,
    });
  });
});

/** Runs the CLI in this process on a private home folder; stdout and stderr as text. */
async function cli(home: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(
    ['node', 'control-room', '--home', home, ...args],
    {
      stdout: sink((t) => {
        stdout += t;
      }),
      stderr: sink((t) => {
        stderr += t;
      }),
      stdin,
    },
    { PATH: process.env.PATH ?? '' },
  );
  return { code, stdout, stderr };
}

describe('hosts add --ssh', () => {
  it('stores the destination and shows it in hosts list and its JSON', async () => {
    const home = temp.make();
    const added = await cli(home, 'hosts', 'add', 'bb', 'http://b:7420', '--ssh', 'me@b');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('added bb http://b:7420 (ssh me@b)');
    expect((await cli(home, 'hosts', 'add', 'plain', 'http://p:7420')).code).toBe(0);

    const listed = await cli(home, 'hosts', 'list');
    expect(listed.stdout).toContain('bb  http://b:7420  no token  ssh me@b\n');
    expect(listed.stdout).toContain('plain  http://p:7420  no token\n');
    const json = JSON.parse((await cli(home, '--json', 'hosts', 'list')).stdout) as unknown[];
    expect(json).toEqual([
      expect.objectContaining({ name: 'bb', ssh: 'me@b', token: false }),
      expect.objectContaining({ name: 'plain', ssh: null, token: false }),
    ]);
  });

  it.each(['-oProxyCommand=touch x', 'me@b:22', 'me b'])(
    'refuses --ssh %j with exit 2, storing nothing',
    async (destination) => {
      const home = temp.make();
      const result = await cli(home, 'hosts', 'add', 'bb', 'http://b:7420', '--ssh', destination);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--ssh/);
      const json = JSON.parse((await cli(home, '--json', 'hosts', 'list')).stdout) as unknown[];
      expect(json).toEqual([]);
    },
  );
});
