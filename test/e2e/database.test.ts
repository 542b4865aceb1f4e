import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeResult, homeCli, parseJson, sha256File } from './helpers/cli.js';
import { homeWithTickets, writeGarbageInTheMiddle } from './helpers/damage.js';

/** A damaged or newer database is reported and left exactly as it was. */

describe('database problems', () => {
  it('a garbage file is reported as damaged and left unchanged', async () => {
    const cr = await homeCli();
    const db = join(cr.home, 'control-room.db');
    await writeFile(db, Buffer.from('this is not a SQLite database, just text\n'.repeat(200)));
    const before = await sha256File(db);

    const list = await cr('tickets', 'list');
    expect(list.code, describeResult(list)).not.toBe(0);
    expect(list.stderr).toContain(db);
    expect(list.stderr).toMatch(/the database is damaged/);
    expect(list.stdout).toBe('');

    const add = await cr('tickets', 'add', '--title', 'must not be written');
    expect(add.code, describeResult(add)).not.toBe(0);
    expect(add.stderr).toMatch(/the database is damaged/);

    const doctor = await cr('--json', 'doctor');
    expect(doctor.code, describeResult(doctor)).toBe(1);
    const report = parseJson<{ ok: boolean; checks: { name: string; status: string }[] }>(doctor);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'database')?.status).toBe('fail');

    expect(await sha256File(db)).toBe(before);
  });

  it('garbage in the middle of a cleanly closed database: nothing is written to it', async () => {
    const { cr, db } = await homeWithTickets(400);
    await writeGarbageInTheMiddle(db);
    const before = await sha256File(db);
    const files = (await readdir(cr.home)).sort();

    const add = await cr('tickets', 'add', '--title', 'must not be written');
    expect(add.code, describeResult(add)).toBe(1);
    expect(add.stdout).toBe('');
    expect(add.stderr).toContain(`${db}: the database is damaged`);
    expect(add.stderr).toContain('quick_check');
    expect(add.stderr).toContain(`sqlite3 ${db} .recover`);
    expect(add.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await sha256File(db)).toBe(before);

    const list = await cr('tickets', 'list');
    expect(list.code, describeResult(list)).toBe(1);
    expect(list.stderr).toContain('the database is damaged');

    const doctor = await cr('--json', 'doctor');
    expect(doctor.code, describeResult(doctor)).toBe(1);
    const report = parseJson<{ checks: { name: string; status: string; detail: string }[] }>(
      doctor,
    );
    const check = report.checks.find((c) => c.name === 'database');
    expect(check?.status).toBe('fail');
    expect(check?.detail).toContain('damaged');

    expect(await sha256File(db)).toBe(before);
    expect((await readdir(cr.home)).sort()).toEqual(files);
  });

  it('a database from a newer control-room is refused and left unchanged', async () => {
    const cr = await homeCli();
    const file = join(cr.home, 'control-room.db');
    const db = new Database(file);
    db.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT)');
    db.prepare('INSERT INTO future_things (what) VALUES (?)').run('from the future');
    db.pragma('user_version = 999');
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const before = await sha256File(file);

    const list = await cr('tickets', 'list');
    expect(list.code, describeResult(list)).not.toBe(0);
    expect(list.stderr).toContain(file);
    expect(list.stderr).toContain('the database was written by a newer control-room');
    expect(list.stderr).toContain('999');

    const add = await cr('tickets', 'add', '--title', 'must not be written');
    expect(add.code, describeResult(add)).not.toBe(0);
    expect(add.stderr).toContain('written by a newer control-room');

    expect(await sha256File(file)).toBe(before);
  });
});
