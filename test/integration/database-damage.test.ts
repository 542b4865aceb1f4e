import { execFileSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { needsQuickCheck } from '../../src/adapters/db/integrity.js';
import { TicketRepository } from '../../src/adapters/db/ticket-repository.js';
import { type AppError, AppFailure } from '../../src/domain/index.js';
import { folderListing, sha256OfFile, tempDirsPerTest, thrownBy } from './helpers/temp-dir.js';

/**
 * A damaged database is found where that is cheap (integrity.ts, damage.ts) and then written to
 * no more: real files, real garbage, real crashed processes.
 */

const T0 = '2026-11-25T06:00:00Z';
const temp = tempDirsPerTest();

function appErrorOf(work: () => unknown): AppError {
  const failure = thrownBy(work);
  expect(failure).toBeInstanceOf(AppFailure);
  return (failure as AppFailure).error;
}

/** A database of ours with `count` tickets (dozens of pages), closed cleanly. */
function databaseWithTickets(count: number): string {
  const file = path.join(temp.make(), 'control-room.db');
  const db = openDatabase(file);
  const repo = new TicketRepository(db, file, 'CR');
  repo.importBatch(
    Array.from({ length: count }, (_, i) => ({
      line: i + 1,
      draft: { title: `ticket ${i}`, body: `what ticket ${i} is about. `.repeat(12) },
    })),
    'tickets.json',
    T0,
  );
  db.close();
  return file;
}

function writeGarbageInTheMiddle(file: string): void {
  const at = Math.floor(statSync(file).size / 2 / 4096) * 4096;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, at);
  } finally {
    closeSync(fd);
  }
}

/** Another process writes through SQLite and is killed before it closes: its -wal stays. */
function crashAfterAWrite(file: string): void {
  const script = `
    const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
    const db = new Database(process.argv[1]);
    db.prepare("INSERT INTO hosts (name, url, created_at) VALUES ('late', 'http://x', 'now')").run();
    process.kill(process.pid, 'SIGKILL');`;
  try {
    execFileSync(process.execPath, ['-e', script, file], { stdio: 'ignore' });
  } catch {
    // Killed, as meant.
  }
}

describe('when a database is quick-checked at open', () => {
  it('not after a clean close; after another writer, or after a crash with nobody left', () => {
    const file = databaseWithTickets(50);
    expect(needsQuickCheck(file)).toBe(false);

    const other = new Database(file);
    other.prepare("INSERT INTO hosts (name, url, created_at) VALUES ('h', 'u', 'now')").run();
    other.close();
    expect(needsQuickCheck(file)).toBe(true); // changed by something that is not us

    openDatabase(file).close();
    expect(needsQuickCheck(file)).toBe(false);

    const live = openDatabase(file);
    new TicketRepository(live, file, 'CR').add({ title: 'while open' }, T0);
    expect(needsQuickCheck(file)).toBe(false); // its -wal belongs to a live connection
    live.close();

    crashAfterAWrite(file);
    expect(needsQuickCheck(file)).toBe(true); // a -wal with frames, and nobody has it open
  });

  it('refuses a damaged file left by a crash, and keeps both the file and its -wal', () => {
    const file = databaseWithTickets(400);
    // Damaged while a control room had it open; it closed cleanly, never having read the pages.
    const session = openDatabase(file);
    writeGarbageInTheMiddle(file);
    session.close();
    expect(needsQuickCheck(file)).toBe(false);
    crashAfterAWrite(file);
    const before = sha256OfFile(file);
    const wal = sha256OfFile(`${file}-wal`);
    const listing = folderListing(path.dirname(file));

    const error = appErrorOf(() => openDatabase(file));

    expect(error).toMatchObject({ kind: 'database', problem: 'corrupt', file });
    expect(error.message).toContain('quick_check');
    expect(sha256OfFile(file)).toBe(before);
    expect(sha256OfFile(`${file}-wal`)).toBe(wal); // not folded into the damaged file
    expect(folderListing(path.dirname(file))).toEqual(listing);
  });
});

describe('damage met while the database is open', () => {
  it('stops every later write of this process, and the file stays as it was found', () => {
    const file = databaseWithTickets(400);
    const db = temp.closeLater(openDatabase(file));
    const repo = new TicketRepository(db, file, 'CR');
    writeGarbageInTheMiddle(file);
    const before = sha256OfFile(file);

    const read = appErrorOf(() => repo.list());
    expect(read).toMatchObject({ kind: 'database', problem: 'corrupt', file });

    // This write touches none of the damaged pages, and still must not happen.
    const write = appErrorOf(() => repo.add({ title: 'into a damaged file' }, T0));
    expect(write).toMatchObject({ kind: 'database', problem: 'corrupt', file });
    expect(write.message).toContain('found damaged');
    db.close();

    expect(sha256OfFile(file)).toBe(before);
    expect(needsQuickCheck(file)).toBe(true);
    expect(appErrorOf(() => openDatabase(file))).toMatchObject({ problem: 'corrupt' });
    expect(sha256OfFile(file)).toBe(before);
  });
});
