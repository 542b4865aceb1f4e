import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  CLI_PATH,
  type CliResult,
  cleanEnv,
  describeResult,
  requireBuiltCli,
} from './helpers/cli.js';

/**
 * The state folder and its files are its owner's alone, whatever the umask: made 0700/0600, and
 * found open to others, closed on start with one line saying so (issue 13 item 13).
 */

const MESSAGE = /^control-room: made (.+) private \(0700; files 0600\)$/m;

/** A user's machine: HOME and the XDG folders in a temporary folder, no `--home`. */
async function machine(): Promise<{ root: string; stateDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'cr-e2e-private-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  return { root, stateDir: join(root, 'state', 'control-room') };
}

/** The built CLI under `umask 022`, the common default that makes new files 0644. */
function runUnderUmask(root: string, args: readonly string[]): Promise<CliResult> {
  requireBuiltCli();
  const env = cleanEnv({
    HOME: root,
    XDG_STATE_HOME: join(root, 'state'),
    XDG_CONFIG_HOME: join(root, 'config'),
  });
  return new Promise((resolve, reject) => {
    // The script is fixed; the arguments go through "$@", never through the shell's parser.
    const child = spawn(
      '/bin/sh',
      ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, CLI_PATH, ...args],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

describe('the state folder under umask 022', () => {
  it('is made 0700 and its database, journals and token files 0600, without a word', async () => {
    const { root, stateDir } = await machine();
    const added = await runUnderUmask(root, ['tickets', 'add', '--title', 'private things']);
    expect(added.code, describeResult(added)).toBe(0);
    const tokenFile = join(root, 'token.txt');
    await writeFile(tokenFile, 'a-token\n');
    const host = await runUnderUmask(root, [
      'hosts',
      'add',
      'buildbox',
      'http://127.0.0.1:7420',
      '--token-file',
      tokenFile,
    ]);
    expect(host.code, describeResult(host)).toBe(0);

    expect(octal(modeOf(stateDir))).toBe('0700');
    const db = join(stateDir, 'control-room.db');
    expect(octal(modeOf(db))).toBe('0600');
    for (const journal of [`${db}-wal`, `${db}-shm`]) {
      if (existsSync(journal)) expect(octal(modeOf(journal)), journal).toBe('0600');
    }
    expect(octal(modeOf(join(stateDir, 'host-tokens')))).toBe('0700');
    expect(octal(modeOf(join(stateDir, 'host-tokens', 'buildbox.token')))).toBe('0600');
    expect(added.stderr + host.stderr).not.toMatch(MESSAGE);
  });

  it('keeps the journals 0600 while the database is open', async () => {
    const { root, stateDir } = await machine();
    expect((await runUnderUmask(root, ['tickets', 'add', '--title', 'one'])).code).toBe(0);
    // A reader in this process keeps -wal and -shm in place, as a running control room does.
    const { default: Database } = await import('better-sqlite3');
    const db = join(stateDir, 'control-room.db');
    const reader = new Database(db, { readonly: true });
    onTestFinished(() => {
      reader.close();
    });
    reader.prepare('SELECT count(*) FROM tickets').get();
    expect((await runUnderUmask(root, ['tickets', 'add', '--title', 'two'])).code).toBe(0);
    expect(existsSync(`${db}-wal`)).toBe(true);
    expect(octal(modeOf(`${db}-wal`))).toBe('0600');
    expect(octal(modeOf(`${db}-shm`))).toBe('0600');
  });
});

describe('a state folder found open to others', () => {
  it('is closed on start, said once, and the next start is silent', async () => {
    const { root, stateDir } = await machine();
    expect((await runUnderUmask(root, ['tickets', 'add', '--title', 'old'])).code).toBe(0);
    const db = join(stateDir, 'control-room.db');
    const recordings = join(stateDir, 'recordings');
    await mkdir(recordings);
    const cast = join(recordings, 'agent-20260101-000000.cast');
    await writeFile(cast, '{"version": 2}\n');
    // As an older version (or a copy) left them.
    await chmod(stateDir, 0o755);
    await chmod(db, 0o644);
    await chmod(recordings, 0o755);
    await chmod(cast, 0o644);

    const first = await runUnderUmask(root, ['tickets', 'list']);
    expect(first.code, describeResult(first)).toBe(0);
    const said = first.stderr.match(new RegExp(MESSAGE.source, 'gm')) ?? [];
    expect(said, first.stderr).toHaveLength(1);
    expect(MESSAGE.exec(first.stderr)?.[1]).toBe(stateDir);
    expect(octal(modeOf(stateDir))).toBe('0700');
    expect(octal(modeOf(db))).toBe('0600');
    expect(octal(modeOf(recordings))).toBe('0700');
    expect(octal(modeOf(cast))).toBe('0600');

    const second = await runUnderUmask(root, ['tickets', 'list']);
    expect(second.code, describeResult(second)).toBe(0);
    expect(second.stderr).not.toMatch(MESSAGE);
  });

  it('leaves files that are not state alone', async () => {
    const { root, stateDir } = await machine();
    await mkdir(stateDir, { recursive: true });
    const notes = join(stateDir, 'notes.txt');
    await writeFile(notes, 'mine\n');
    await chmod(notes, 0o644);
    await chmod(stateDir, 0o700);
    const listed = await runUnderUmask(root, ['tickets', 'list']);
    expect(listed.code, describeResult(listed)).toBe(0);
    expect(listed.stderr).not.toMatch(MESSAGE);
    expect(octal(modeOf(notes))).toBe('0644');
  });
});
