import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { quickCheck } from './integrity.js';

/**
 * A database found damaged while open (SQLite answered SQLITE_CORRUPT or SQLITE_NOTADB): from
 * then on this process writes nothing more to it. Every connection of ours to the file turns
 * `query_only`, and each closes without folding its `-wal` into the file, so the file stays as
 * it was found for a backup, `sqlite3 .recover`, or a look.
 */

/** The file's quick_check findings (null: none, the damage is elsewhere, an index say). */
const damaged = new Map<string, string | null>();
const connections = new Map<string, Set<Database.Database>>();

export function trackConnection(file: string, db: Database.Database): void {
  const key = resolve(file);
  const set = connections.get(key) ?? new Set();
  set.add(db);
  connections.set(key, set);
  if (damaged.has(key)) refuseWrites(db);
}

export function untrackConnection(file: string, db: Database.Database): void {
  connections.get(resolve(file))?.delete(db);
}

export function isDamaged(file: string): boolean {
  return damaged.has(resolve(file));
}

/** Records the damage once (with what quick_check says of it), and stops every write. */
export function markDamaged(file: string): string | null {
  const key = resolve(file);
  if (damaged.has(key)) return damaged.get(key) ?? null;
  const findings = findingsOf(key);
  damaged.set(key, findings);
  for (const db of connections.get(key) ?? []) refuseWrites(db);
  return findings;
}

function findingsOf(file: string): string | null {
  let reader: Database.Database | undefined;
  try {
    reader = new Database(file, { readonly: true, fileMustExist: true });
    return quickCheck(reader);
  } catch (error) {
    return (error as Error).message;
  } finally {
    reader?.close();
  }
}

function refuseWrites(db: Database.Database): void {
  try {
    db.pragma('query_only = ON');
  } catch {
    // A statement of this connection is still being read: once it is done.
    setImmediate(() => {
      if (db.open) refuseWrites(db);
    });
  }
}

/**
 * Closes `db` without SQLite's checkpoint on close, which would copy the `-wal` into the file:
 * a read-only connection kept open meanwhile makes `db` not the last one, and a read-only
 * connection never checkpoints. The `-wal` (with whatever it holds) stays beside the file.
 */
export function closeUntouched(db: Database.Database, close: () => void): void {
  let guard: Database.Database | undefined;
  try {
    guard = new Database(db.name, { readonly: true, fileMustExist: true });
    guard.pragma('schema_version');
  } catch {
    // Not a database at all: SQLite has nothing of it to fold in either.
  }
  try {
    close();
  } finally {
    guard?.close();
  }
}
