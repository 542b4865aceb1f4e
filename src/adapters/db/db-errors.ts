import Database from 'better-sqlite3';
import { AppFailure, type DatabaseProblem } from '../../domain/index.js';
import { isDamaged, markDamaged } from './damage.js';

/** What each SQLite failure means to the operator, and what to do about it. */
const PROBLEMS: Record<DatabaseProblem, { message: string; hint: (file: string) => string }> = {
  corrupt: {
    message: 'the database is damaged or is not a control-room database',
    hint: (file) =>
      `nothing was written to it. Restore it from a backup; or recover what it holds ` +
      `(sqlite3 ${file} .recover | sqlite3 new.db, then put new.db in its place); ` +
      'or move it aside (keep it) and run again to start a new one',
  },
  locked: {
    message: 'the database is locked by another process',
    hint: () =>
      'another control-room (or a sqlite3 shell) holds a write lock; end it and run again',
  },
  readonly: {
    message: 'the database is read-only',
    hint: () =>
      'give this user write access to the file, its -wal and -shm, and its folder (or pick another --home)',
  },
  full: {
    message: 'the disk is full: the database cannot grow',
    hint: () => 'nothing of this change was written; free space on that disk and run again',
  },
  schema: {
    message: "the database's tables do not match its schema version",
    hint: () =>
      'nothing was changed; it was changed by something else than control-room: restore it ' +
      'from a backup, or move it aside (keep it) and run again to start a new one',
  },
  too_new: {
    message: 'the database was written by a newer control-room',
    hint: () => 'nothing was changed; upgrade control-room to use it',
  },
  unopenable: {
    message: 'the database cannot be opened',
    hint: () => 'check that the state folder exists and is writable (or pick another --home)',
  },
};

/** A table or column the statements expect is not there: the file is not at its version. */
const SCHEMA_MISMATCH = /no such (table|column)|has no column named/;

function problemOf(error: { code: string; message: string }): DatabaseProblem | null {
  const code = error.code;
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) return 'readonly';
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return 'unopenable';
  if (code === 'SQLITE_ERROR' && SCHEMA_MISMATCH.test(error.message)) return 'schema';
  return null;
}

export function databaseFailure(file: string, problem: DatabaseProblem, detail?: string) {
  const { message, hint } = PROBLEMS[problem];
  return new AppFailure({
    kind: 'database',
    problem,
    file,
    message: detail ? `${message} (${detail})` : message,
    hint: hint(file),
  });
}

/** SQLite's errors as typed failures; anything else passes through unchanged. */
export function failureOf(file: string, error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const problem = problemOf(error);
  return problem === null ? error : databaseFailure(file, problem, error.message);
}

/**
 * `failureOf` for a file that is open: one found damaged is written to no more by this process
 * (damage.ts), and the failure says what quick_check finds.
 */
export function translateDatabaseError(file: string, error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const problem = problemOf(error);
  // A write refused because the file was found damaged earlier is the damage, not read-only.
  if (problem === 'corrupt' || (problem === 'readonly' && isDamaged(file))) {
    const findings = markDamaged(file);
    const what = problem === 'corrupt' ? error.message : 'found damaged before this write';
    const detail = findings && findings !== what ? `; quick_check: ${findings}` : '';
    return databaseFailure(file, 'corrupt', `${what}${detail}`);
  }
  return failureOf(file, error);
}
