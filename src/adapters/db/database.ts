import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, ensurePrivateDir } from '../../config/private-state.js';
import { databaseFailure, translateDatabaseError } from './db-errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** How long a write waits for another process's lock before it is reported as locked. */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating when absent) the state database, migrated to this version's schema.
 * The version is read before anything is written, so a newer or foreign file stays untouched.
 * A new database is made 0600 in a 0700 folder before SQLite opens it: SQLite gives its -wal
 * and -shm files the database's mode, so none of them is ever readable by others.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let db: Db | undefined;
  try {
    ensurePrivateDir(dirname(file));
    createPrivateFile(file);
    db = new Database(file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw databaseFailure(
        file,
        'too_new',
        `schema ${version}, this version knows ${SCHEMA_VERSION}`,
      );
    }
    if (version === 0) assertEmptyOrOurs(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Reading 100,000 tickets through the page cache alone costs a third more than mapped.
    db.pragma('mmap_size = 268435456');
    migrate(db, version);
    return db;
  } catch (error) {
    db?.close();
    throw translateDatabaseError(file, fileSystemFailure(file, error) ?? error);
  }
}

/** The folder or file could not be made or reached at all (a file where the folder should be). */
function fileSystemFailure(file: string, error: unknown) {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || code.startsWith('SQLITE')) return undefined;
  const message = (error as Error).message;
  return ['EACCES', 'EPERM', 'EROFS'].includes(code)
    ? databaseFailure(file, 'readonly', message)
    : databaseFailure(file, 'unopenable', message);
}

/** A file with tables but no version is someone else's database: never migrate over it. */
function assertEmptyOrOurs(db: Db, file: string): void {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
    n: number;
  };
  if (row.n > 0) {
    throw databaseFailure(file, 'corrupt', 'it has tables but no control-room schema version');
  }
}

function migrate(db: Db, from: number): void {
  for (let version = from; version < SCHEMA_VERSION; version += 1) {
    const step = MIGRATIONS[version] as string;
    // IMMEDIATE takes the write lock first, so of two processes starting at once one migrates
    // and the other, re-reading the version under the lock, skips the step.
    db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > version) return;
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
