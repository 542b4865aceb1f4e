import { readFileSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createPrivateFile, PRIVATE_FILE_MODE } from '../../config/private-state.js';

/**
 * When a database file is worth a `PRAGMA quick_check` before anything is written to it. The
 * check reads the whole file (a third of a second for 100,000 tickets), so it runs only when
 * the file may not be as a control room left it:
 *
 * - it changed since the last control room closed it (`FILE.clean` holds the file's identity,
 *   size and times from that close): someone else wrote to it, or copied something over it;
 * - its `-wal` holds frames and no control room has it open (`FILE.lock`, below): the last one
 *   to have it open ended without closing it (a crash, a `kill -9`, a full disk).
 *
 * Every process that has the file open holds a shared lock on `FILE.lock` (a SQLite lock on an
 * empty file, so the kernel lets go of it when the process dies, however it dies).
 */

const stampFile = (file: string) => `${file}.clean`;
const lockFile = (file: string) => `${file}.lock`;

/** Identity, size and times: a write, a copy over it or a restore changes one of them. */
function stampOf(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return null;
  }
}

function sizeOf(file: string): bigint | null {
  try {
    return statSync(file, { bigint: true }).size;
  } catch {
    return null;
  }
}

function readStamp(file: string): string | null {
  try {
    return readFileSync(stampFile(file), 'utf8').trim();
  } catch {
    return null;
  }
}

/** Whether the `-wal` holds anything (an empty one is left by a read-only connection). */
export function walHasFrames(file: string): boolean {
  return (sizeOf(`${file}-wal`) ?? 0n) > 0n;
}

/** Whether a process (this one included) has the database open, by its lock on `FILE.lock`. */
export function heldOpenByAnyone(file: string): boolean {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(lockFile(file), { timeout: 0, fileMustExist: true });
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('ROLLBACK');
    return false;
  } catch (error) {
    // No lock file: nobody of this version has it open. Anything else cannot tell: check.
    return (error as { code?: unknown }).code === 'SQLITE_BUSY';
  } finally {
    probe?.close();
  }
}

/** Whether the file may not be as a control room left it (see the top of this file). */
export function needsQuickCheck(file: string): boolean {
  if ((sizeOf(file) ?? 0n) === 0n) return false; // new: nothing in it to check
  if (walHasFrames(file)) return !heldOpenByAnyone(file);
  return readStamp(file) !== stampOf(file);
}

/**
 * The problems `PRAGMA quick_check` finds (at most a few, on one line), or null when none. Some
 * damage stops the check itself (SQLITE_CORRUPT): that is its finding.
 */
export function quickCheck(db: Database.Database): string | null {
  let rows: { quick_check: string }[];
  try {
    rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  } catch (error) {
    const code = String((error as { code?: unknown }).code);
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
      return (error as Error).message;
    }
    throw error;
  }
  const lines = rows.map((r) => r.quick_check.replace(/\s+/g, ' ').trim());
  return lines.length === 1 && lines[0] === 'ok' ? null : lines.join('; ');
}

/** Held for as long as this process has the database open; `release` when it closes it. */
export interface OpenMark {
  release(): void;
}

export function markOpen(file: string): OpenMark {
  let lock: Database.Database | undefined;
  try {
    createPrivateFile(lockFile(file));
    // Waits out another process's probe, which holds the lock for an instant.
    lock = new Database(lockFile(file), { timeout: 1000, fileMustExist: true });
    lock.exec('BEGIN');
    lock.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch {
    // A read-only folder, say: the others then check the file when its -wal has frames.
    lock?.close();
    lock = undefined;
  }
  return { release: () => lock?.close() };
}

/**
 * After a clean close: when the `-wal` is gone (this was the last connection, and SQLite folded
 * the `-wal` into the file), the file as it is now is the one the next opener may trust.
 */
export function noteCleanClose(file: string): void {
  if (sizeOf(`${file}-wal`) !== null) return;
  const stamp = stampOf(file);
  if (stamp === null) return;
  try {
    writeFileSync(stampFile(file), `${stamp}\n`, { mode: PRIVATE_FILE_MODE });
  } catch {
    // A read-only folder: the next opener checks the file, which costs only time.
  }
}
