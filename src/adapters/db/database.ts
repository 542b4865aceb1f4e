import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, ensurePrivateDir } from '../../config/private-state.js';
import { AppFailure } from '../../domain/index.js';
import { closeUntouched, isDamaged, trackConnection, untrackConnection } from './damage.js';
import { databaseFailure, failureOf } from './db-errors.js';
import {
  markOpen,
  needsQuickCheck,
  noteCleanClose,
  type OpenMark,
  quickCheck,
  walHasFrames,
} from './integrity.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** How long a write waits for another process's lock before it is reported as locked. */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * A connection to the state database that, closed, leaves the file as it should: a damaged file
 * exactly as it was found, a healthy one noted as closed cleanly (integrity.ts).
 */
class StateDatabase extends Database {
  mark: OpenMark | null = null;
  /** Refused at open: closed without folding a crashed process's `-wal` into the file. */
  refused = false;
  walHadFrames = false;

  override close(): this {
    if (!this.open) return this;
    const file = this.name;
    const untouched = isDamaged(file) || (this.refused && this.walHadFrames);
    try {
      if (untouched) closeUntouched(this, () => super.close());
      else super.close();
      if (!untouched && !this.refused) noteCleanClose(file);
    } finally {
      untrackConnection(file, this);
      this.mark?.release();
      this.mark = null;
    }
    return this;
  }
}

/**
 * Opens (creating when absent) the state database, migrated to this version's schema.
 * Nothing is written before the file passed its checks: its version is read first, so a newer
 * or foreign file stays untouched, and a file that may be damaged (integrity.ts) is
 * quick-checked. A new database is made 0600 in a 0700 folder before SQLite opens it: SQLite
 * gives its -wal and -shm files the database's mode, so none of them is ever readable by others.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let db: StateDatabase | undefined;
  try {
    ensurePrivateDir(dirname(file));
    createPrivateFile(file);
    const check = needsQuickCheck(file);
    const walHadFrames = walHasFrames(file);
    db = new StateDatabase(file, {
      timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    });
    db.walHadFrames = walHadFrames;
    db.refused = true;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw databaseFailure(
        file,
        'too_new',
        `schema ${version}, this version knows ${SCHEMA_VERSION}`,
      );
    }
    const findings = check ? quickCheck(db) : null;
    if (findings !== null) throw databaseFailure(file, 'corrupt', `quick_check: ${findings}`);
    if (version === 0) assertEmptyOrOurs(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Reading 100,000 tickets through the page cache alone costs a third more than mapped.
    db.pragma('mmap_size = 268435456');
    migrate(db, file, version);
    db.refused = false;
    db.mark = markOpen(file);
    trackConnection(file, db);
    return db;
  } catch (error) {
    db?.close();
    throw failureOf(file, fileSystemFailure(file, error) ?? error);
  }
}

/**
 * Whether this process may write the database: the file, and its `-wal` and `-shm` (or the
 * folder, where SQLite makes them). SQLite opens a file it may not write read-only without a
 * word, and says so only at the first write.
 */
export function databaseWritable(file: string): boolean {
  const writable = (path: string) => {
    try {
      accessSync(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  const journals = [`${file}-wal`, `${file}-shm`];
  if (!writable(file)) return false;
  if (journals.every((j) => existsSync(j))) return journals.every(writable);
  return writable(dirname(file)) && journals.filter((j) => existsSync(j)).every(writable);
}

/**
 * Why a write would fail now, without writing: read-only, or another process holding the write
 * lock past the connection's busy timeout. Null when a write would go through.
 */
export function writeRefusal(db: Db, file: string): AppFailure | null {
  if (!databaseWritable(file)) return databaseFailure(file, 'readonly');
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return null;
  } catch (error) {
    const failure = failureOf(file, error);
    if (failure instanceof AppFailure) return failure;
    throw error;
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

function migrate(db: Db, file: string, from: number): void {
  for (let version = from; version < SCHEMA_VERSION; version += 1) {
    const step = MIGRATIONS[version] as string;
    // IMMEDIATE takes the write lock first, so of two processes starting at once one migrates
    // and the other, re-reading the version under the lock, skips the step.
    try {
      db.transaction(() => {
        const current = db.pragma('user_version', { simple: true }) as number;
        if (current > version) return;
        db.exec(step);
        db.pragma(`user_version = ${version + 1}`);
      }).immediate();
    } catch (error) {
      // The step's own tables are there already (or another's are missing): the version says
      // one thing and the tables another. The step was rolled back; nothing changed.
      const message = (error as Error).message;
      if ((error as { code?: unknown }).code === 'SQLITE_ERROR') {
        throw databaseFailure(
          file,
          'schema',
          `user_version ${version}, step ${version + 1}: ${message}`,
        );
      }
      throw error;
    }
  }
}
