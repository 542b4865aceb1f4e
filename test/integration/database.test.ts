import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { translateDatabaseError } from '../../src/adapters/db/db-errors.js';
import { SCHEMA_VERSION } from '../../src/adapters/db/migrations.js';
import { TicketRepository } from '../../src/adapters/db/ticket-repository.js';
import { type AppError, AppFailure, formatAppError } from '../../src/domain/index.js';
import { folderListing, sha256OfFile, tempDirsPerTest, thrownBy } from './helpers/temp-dir.js';

const T0 = '2026-11-25T06:00:00Z';
const T1 = '2026-11-25T06:01:00Z';
const T2 = '2026-11-25T06:02:00Z';

const OUR_TABLES = [
  'claims',
  'events',
  'hosts',
  'key_counters',
  'messages',
  'processes',
  'tickets',
];

const temp = tempDirsPerTest();

function tablesOf(db: Database.Database): string[] {
  const rows = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all() as { name: string }[];
  return rows.map((row) => row.name);
}

function schemaOf(db: Database.Database): unknown[] {
  return db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
}

/** The typed failure `work` throws; fails the test on anything else. */
function appErrorOf(work: () => unknown): AppError {
  const failure = thrownBy(work);
  expect(failure).toBeInstanceOf(AppFailure);
  return (failure as AppFailure).error;
}

/** Bytes that are not SQLite's, the same on every run (a small linear congruential generator). */
function garbage(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = 0x2545f491;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** A database written by someone else, journal mode as given, closed again. */
function writeForeignDatabase(
  file: string,
  setup: { userVersion: number; journalMode?: 'delete' | 'wal' },
): void {
  const raw = new Database(file);
  raw.pragma(`journal_mode = ${setup.journalMode ?? 'delete'}`);
  raw.exec(
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');",
  );
  raw.pragma(`user_version = ${setup.userVersion}`);
  raw.close();
}

describe('openDatabase', () => {
  it('creates the folder and the file of a new path and migrates it from empty', () => {
    const dir = temp.make();
    const file = path.join(dir, 'state', 'nested', 'control-room.db');
    expect(existsSync(path.dirname(file))).toBe(false);

    const db = temp.closeLater(openDatabase(file));

    expect(existsSync(file)).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(tablesOf(db)).toEqual(OUR_TABLES);
    db.close();

    // WAL is a property of the file, not only of our connection.
    const raw = temp.closeLater(new Database(file, { readonly: true }));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('opens an existing database again without changing it or its data', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    const first = openDatabase(file);
    new TicketRepository(first, file, 'CR').add({ title: 'survives a reopen' }, T0);
    const schema = schemaOf(first);
    first.close();
    const before = sha256OfFile(file);
    const listing = folderListing(dir);

    const second = temp.closeLater(openDatabase(file));
    expect(second.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(schemaOf(second)).toEqual(schema);
    const repo = new TicketRepository(second, file, 'CR');
    expect(repo.list().map((t) => [t.key, t.title])).toEqual([['CR-1', 'survives a reopen']]);
    expect(repo.add({ title: 'next' }, T1).key).toBe('CR-2');
    second.close();

    // A reopen that only reads leaves the bytes alone.
    const afterWrite = sha256OfFile(file);
    const third = openDatabase(file);
    third.close();
    expect(sha256OfFile(file)).toBe(afterWrite);
    expect(afterWrite).not.toBe(before);
    expect(folderListing(dir)).toEqual(listing);
  });

  it('refuses a database of a newer schema and leaves it byte for byte as it was', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    writeForeignDatabase(file, { userVersion: SCHEMA_VERSION + 1 });
    const before = sha256OfFile(file);
    const listing = folderListing(dir);
    expect(listing).toEqual(['control-room.db']);

    const error = appErrorOf(() => openDatabase(file));

    expect(error).toMatchObject({ kind: 'database', problem: 'too_new', file });
    expect(error.message).toContain(`schema ${SCHEMA_VERSION + 1}`);
    expect(sha256OfFile(file)).toBe(before);
    expect(folderListing(dir)).toEqual(listing); // no -wal, -shm or -journal of ours
    const raw = temp.closeLater(new Database(file, { readonly: true }));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
  });

  it('refuses a newer database that is in WAL mode without leaving files behind', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    writeForeignDatabase(file, { userVersion: SCHEMA_VERSION + 1, journalMode: 'wal' });
    const before = sha256OfFile(file);
    const listing = folderListing(dir);

    const error = appErrorOf(() => openDatabase(file));

    expect(error).toMatchObject({ kind: 'database', problem: 'too_new', file });
    expect(sha256OfFile(file)).toBe(before);
    expect(folderListing(dir)).toEqual(listing);
  });

  it('refuses a file of garbage bytes as corrupt and leaves it unchanged', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    writeFileSync(file, garbage(16 * 1024));
    const before = sha256OfFile(file);

    const error = appErrorOf(() => openDatabase(file));

    expect(error).toMatchObject({ kind: 'database', problem: 'corrupt', file });
    expect(sha256OfFile(file)).toBe(before);
    expect(folderListing(dir)).toEqual(['control-room.db']);
  });

  it('refuses a foreign SQLite database without a schema version instead of migrating it', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    writeForeignDatabase(file, { userVersion: 0 });
    const before = sha256OfFile(file);

    const error = appErrorOf(() => openDatabase(file));

    expect(error).toMatchObject({ kind: 'database', problem: 'corrupt', file });
    expect(sha256OfFile(file)).toBe(before);
    expect(folderListing(dir)).toEqual(['control-room.db']);
    const raw = temp.closeLater(new Database(file, { readonly: true }));
    expect(tablesOf(raw)).toEqual(['notes']);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
  });

  it('reports a path that is a folder as unopenable', () => {
    const dir = temp.make();

    const error = appErrorOf(() => openDatabase(dir));

    expect(error).toMatchObject({ kind: 'database', problem: 'unopenable', file: dir });
  });
});

describe('a database locked by another connection', () => {
  it('refuses a write as locked, naming the file, and accepts it once the lock is gone', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    const db = temp.closeLater(openDatabase(file, { busyTimeoutMs: 50 }));
    const repo = new TicketRepository(db, file, 'CR');
    const first = repo.add({ title: 'before the lock' }, T0);

    const other = temp.closeLater(new Database(file));
    other.exec('BEGIN EXCLUSIVE');

    const addError = appErrorOf(() => repo.add({ title: 'during the lock' }, T1));
    expect(addError).toMatchObject({ kind: 'database', problem: 'locked', file });
    expect(formatAppError(addError)).toContain(file);
    const importError = appErrorOf(() =>
      repo.importBatch([{ line: 1, draft: { title: 'imported during the lock' } }], 'x.md', T1),
    );
    expect(importError).toMatchObject({ kind: 'database', problem: 'locked', file });
    const saveError = appErrorOf(() => repo.save({ ...first, title: 'renamed' }, []));
    expect(saveError).toMatchObject({ kind: 'database', problem: 'locked', file });
    // WAL: readers are not blocked by the writer.
    expect(repo.get('CR-1')?.title).toBe('before the lock');

    other.exec('ROLLBACK');

    const after = repo.add({ title: 'after the lock' }, T2);
    expect(after.key).toBe('CR-2'); // the refused writes took no key
    expect(repo.list().map((t) => [t.key, t.title])).toEqual([
      ['CR-2', 'after the lock'],
      ['CR-1', 'before the lock'],
    ]);
    expect(repo.get('CR-1')?.events).toEqual([{ at: T0, type: 'created', text: 'created' }]);
  });
});

describe('a read-only connection', () => {
  // CI runs as root, where chmod does not stop a write; a read-only connection yields the same
  // SQLITE_READONLY error that a read-only file would.
  it('maps a real SQLITE_READONLY error to the readonly problem', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    openDatabase(file).close();
    const readonly = temp.closeLater(new Database(file, { readonly: true }));

    const sqliteError = thrownBy(() =>
      readonly.prepare("INSERT INTO key_counters (prefix, next) VALUES ('CR', 1)").run(),
    );
    expect(sqliteError).toBeInstanceOf(Database.SqliteError);
    expect((sqliteError as { code: string }).code).toMatch(/^SQLITE_READONLY/);

    const translated = translateDatabaseError(file, sqliteError);
    expect(translated).toBeInstanceOf(AppFailure);
    expect((translated as AppFailure).error).toMatchObject({
      kind: 'database',
      problem: 'readonly',
      file,
    });
  });

  it('makes a repository write through it fail as readonly and write nothing', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    const db = temp.closeLater(openDatabase(file));
    const writable = new TicketRepository(db, file, 'CR');
    writable.add({ title: 'existing' }, T0);
    const readonly = temp.closeLater(new Database(file, { readonly: true }));
    const repo = new TicketRepository(readonly, file, 'CR');

    const error = appErrorOf(() => repo.add({ title: 'refused' }, T1));

    expect(error).toMatchObject({ kind: 'database', problem: 'readonly', file });
    expect(writable.count()).toBe(1);
    expect(writable.add({ title: 'next' }, T2).key).toBe('CR-2');
  });

  it('passes errors that are not SQLite errors through unchanged', () => {
    const error = new Error('something else');
    expect(translateDatabaseError('/x/control-room.db', error)).toBe(error);
  });
});

describe('a state folder that cannot be made', () => {
  it('is reported as unopenable, naming the file, not as a raw error', () => {
    const dir = temp.make();
    const blocker = path.join(dir, 'plain-file');
    writeFileSync(blocker, 'not a folder');
    const error = thrownBy(() => openDatabase(path.join(blocker, 'x.db')));
    expect(error).toBeInstanceOf(AppFailure);
    const failure = (error as AppFailure).error;
    expect(failure.kind).toBe('database');
    expect(failure.kind === 'database' && failure.problem).toBe('unopenable');
    expect(failure.kind === 'database' && failure.file).toBe(path.join(blocker, 'x.db'));
  });
});

describe('a database that cannot grow', () => {
  // A real SQLITE_FULL without a full disk: SQLite answers it when a write would take the file
  // past `max_page_count` (test/e2e/database-faults.test.ts fills a real tmpfs where it can).
  it('refuses the write as a full disk, naming the file, and keeps what was there', () => {
    const dir = temp.make();
    const file = path.join(dir, 'control-room.db');
    const db = temp.closeLater(openDatabase(file));
    const repo = new TicketRepository(db, file, 'CR');
    repo.add({ title: 'before the disk filled' }, T0);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);

    const error = appErrorOf(() => repo.add({ title: 'too big', body: 'x'.repeat(100_000) }, T1));

    expect(error).toMatchObject({ kind: 'database', problem: 'full', file });
    expect(formatAppError(error)).toContain('the disk is full');
    expect(formatAppError(error)).toContain('free space on that disk');
    expect(repo.list().map((t) => t.title)).toEqual(['before the disk filled']);
    expect(repo.add({ title: 'small enough' }, T2).key).toBe('CR-2');
  });
});
