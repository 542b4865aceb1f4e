import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  CLI_PATH,
  describeResult,
  homeCli,
  parseJson,
  REPO_ROOT,
  sha256File,
} from './helpers/cli.js';
import {
  homeWithTickets,
  unprivilegedCli,
  writeGarbageInTheMiddle,
  writeGarbageOver,
  writeLockedCli,
} from './helpers/damage.js';
import { spawnCli, waitUntil } from './helpers/pickup-env.js';

/**
 * Database faults the built CLI meets: each is a message with what to do and exit 1 (a database
 * problem, `cli.md`), never a stack trace, and `doctor` names it.
 */

interface DoctorReport {
  ok: boolean;
  checks: { name: string; status: string; detail: string; hint?: string }[];
}

const NO_STACK = /\n\s+at /;

function databaseCheck(result: Parameters<typeof parseJson>[0]) {
  return parseJson<DoctorReport>(result).checks.find((c) => c.name === 'database');
}

describe('doctor on a database fault', () => {
  it('a damaged index that counting the tickets reads: a failed check, not a crash', async () => {
    const { cr, db } = await homeWithTickets(400);
    await writeGarbageOver(db, 'tickets_state');
    const before = await sha256File(db);

    for (const args of [['doctor'], ['--json', 'doctor']]) {
      const doctor = await cr(...args);
      expect(doctor.code, describeResult(doctor)).toBe(1);
      expect(doctor.stderr).not.toMatch(NO_STACK);
      expect(doctor.stderr).not.toContain('unexpected failure');
    }
    const check = databaseCheck(await cr('--json', 'doctor'));
    expect(check?.status).toBe('fail');
    expect(check?.detail).toContain('the database is damaged');
    expect(await sha256File(db)).toBe(before);
  });

  it('damage done while a dispatcher had the file open (closed cleanly after) is found', async () => {
    const { cr, db } = await homeWithTickets(400);
    const dispatch = spawnCli(cr.home, ['dispatch']);
    await waitUntil('the dispatcher to run', () =>
      dispatch.stderr().includes('dispatching as') ? true : undefined,
    );
    await writeGarbageInTheMiddle(db);
    dispatch.child.kill('SIGTERM');
    expect(await dispatch.exited).toBe(0);
    const before = await sha256File(db);

    const doctor = await cr('--json', 'doctor');
    expect(doctor.code, describeResult(doctor)).toBe(1);
    expect(doctor.stderr).not.toMatch(NO_STACK);
    const check = databaseCheck(doctor);
    expect(check?.status).toBe('fail');
    expect(check?.detail).toContain('the database is damaged');
    expect(check?.hint).toContain('.recover');
    expect(await sha256File(db)).toBe(before);
  });

  it('a database another process holds the write lock of is a failed check', async () => {
    const cr = await writeLockedCli();
    const env = { CONTROL_ROOM_DB_BUSY_TIMEOUT_MS: '300' };

    const locked = await cr.with({ env }, '--json', 'doctor');
    expect(locked.code, describeResult(locked)).toBe(1);
    expect(databaseCheck(locked)).toMatchObject({ status: 'fail' });
    expect(databaseCheck(locked)?.detail).toContain('locked by another process');

    cr.release();
    const free = await cr.with({ env }, '--json', 'doctor');
    expect(databaseCheck(free)?.status, describeResult(free)).toBe('ok');
  });

  it('a read-only database is a failed check, and a write to it a message', async () => {
    const cr = await unprivilegedCli();
    expect((await cr('tickets', 'add', '--title', 'one')).code).toBe(0);
    await chmod(join(cr.home, 'control-room.db'), 0o400);

    const doctor = await cr('--json', 'doctor');
    expect(doctor.code, describeResult(doctor)).toBe(1);
    expect(databaseCheck(doctor)).toMatchObject({ status: 'fail' });
    expect(databaseCheck(doctor)?.detail).toContain('the database is read-only');

    const add = await cr('tickets', 'add', '--title', 'two');
    expect(add.code, describeResult(add)).toBe(1);
    expect(add.stderr).toContain('the database is read-only');
    expect(add.stderr).not.toMatch(NO_STACK);
  });
});

describe('a database whose tables and schema version disagree', () => {
  it('a version behind its tables is refused with a message, and left unchanged', async () => {
    const cr = await homeCli();
    expect((await cr('tickets', 'add', '--title', 'one')).code).toBe(0);
    const file = join(cr.home, 'control-room.db');
    const raw = new Database(file);
    raw.pragma('user_version = 2');
    raw.close();
    const before = await sha256File(file);

    const list = await cr('tickets', 'list');
    expect(list.code, describeResult(list)).toBe(1);
    expect(list.stderr).toContain(`${file}: the database's tables do not match its schema version`);
    expect(list.stderr).toContain('user_version 2');
    expect(list.stderr).not.toMatch(NO_STACK);
    expect(await sha256File(file)).toBe(before);

    const doctor = await cr('--json', 'doctor');
    expect(databaseCheck(doctor)?.status, describeResult(doctor)).toBe('fail');
  });

  it('a version ahead of its tables (one is missing) is a message where it is met', async () => {
    const cr = await homeCli();
    expect((await cr('tickets', 'add', '--title', 'one')).code).toBe(0);
    const raw = new Database(join(cr.home, 'control-room.db'));
    raw.exec('DROP TABLE hosts');
    raw.close();

    const hosts = await cr('hosts', 'list');
    expect(hosts.code, describeResult(hosts)).toBe(1);
    expect(hosts.stderr).toContain("the database's tables do not match its schema version");
    expect(hosts.stderr).toContain('no such table: hosts');
    expect(hosts.stderr).not.toMatch(NO_STACK);
  });
});

/** Whether this machine lets us mount a tmpfs in a user namespace of our own (no root needed). */
function tinyFilesystems(): boolean {
  try {
    execFileSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * In a mount namespace of its own, on a 1 MB tmpfs: a ticket, then the disk filled to 64 KB
 * short of full, then a ticket with a 100 KB body. Prints what each step did, as JSON.
 */
const FULL_DISK_SCRIPT = `
const { execFileSync, spawnSync } = require('node:child_process');
const { statfsSync, writeFileSync } = require('node:fs');
const [home, cli, body] = process.argv.slice(1);
execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', home]);
const run = (...args) => {
  const r = spawnSync(process.execPath, [cli, '--home', home, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const first = run('tickets', 'add', '--title', 'before the disk filled');
const free = () => { const s = statfsSync(home); return s.bavail * s.bsize; };
writeFileSync(home + '/filler', Buffer.alloc(Math.max(0, free() - 64 * 1024)));
const full = run('tickets', 'add', '--title', 'too big for the disk', '--body-file', body);
const list = run('--json', 'tickets', 'list');
process.stdout.write(JSON.stringify({ first, full, list, free: free() }));
`;

describe('a full disk', () => {
  it.skipIf(!tinyFilesystems())(
    'a write that does not fit is a message, and what was there stays (a real tmpfs)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cr-e2e-full-'));
      onTestFinished(() => rm(dir, { recursive: true, force: true }));
      const home = join(dir, 'home');
      const body = join(dir, 'body.txt');
      // Within the body's limit (128 KiB), and over the 64 KB left free.
      await writeFile(body, 'a long body that does not fit. '.repeat(3_300));
      execFileSync('mkdir', [home]);
      const out = execFileSync(
        'unshare',
        ['-rm', process.execPath, '-e', FULL_DISK_SCRIPT, home, CLI_PATH, body],
        { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
      );
      const { first, full, list } = JSON.parse(out) as Record<
        string,
        { code: number; stdout: string; stderr: string }
      >;
      expect(first?.code, JSON.stringify(first)).toBe(0);
      expect(full?.code, JSON.stringify(full)).toBe(1);
      expect(full?.stderr).toContain('the disk is full');
      expect(full?.stderr).toContain('free space on that disk');
      expect(full?.stderr).not.toMatch(NO_STACK);
      expect(list?.code, JSON.stringify(list)).toBe(0);
      expect((JSON.parse(list?.stdout ?? '') as { title: string }[]).map((t) => t.title)).toEqual([
        'before the disk filled',
      ]);
    },
  );
});
