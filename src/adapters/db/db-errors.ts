import Database from 'better-sqlite3';
import { AppFailure, type DatabaseProblem } from '../../domain/index.js';

/** What each SQLite failure means to the operator, and what to do about it. */
const PROBLEMS: Record<DatabaseProblem, { message: string; hint: string }> = {
  corrupt: {
    message: 'the database is damaged or is not a control-room database',
    hint: 'nothing was changed; move the file aside (keep it) and run again to start a new one',
  },
  locked: {
    message: 'the database is locked by another process',
    hint: 'another control-room (or a sqlite3 shell) holds a write lock; end it and run again',
  },
  readonly: {
    message: 'the database is read-only',
    hint: 'give this user write access to the file and its folder (or pick another --home)',
  },
  too_new: {
    message: 'the database was written by a newer control-room',
    hint: 'nothing was changed; upgrade control-room to use it',
  },
  unopenable: {
    message: 'the database cannot be opened',
    hint: 'check that the state folder exists and is writable (or pick another --home)',
  },
};

function problemOf(code: string): DatabaseProblem | null {
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) return 'readonly';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return 'unopenable';
  return null;
}

export function databaseFailure(file: string, problem: DatabaseProblem, detail?: string) {
  const { message, hint } = PROBLEMS[problem];
  return new AppFailure({
    kind: 'database',
    problem,
    file,
    message: detail ? `${message} (${detail})` : message,
    hint,
  });
}

/** Turns SQLite's errors into typed failures; anything else passes through unchanged. */
export function translateDatabaseError(file: string, error: unknown): unknown {
  if (error instanceof Database.SqliteError) {
    const problem = problemOf(error.code);
    if (problem) return databaseFailure(file, problem, error.message);
  }
  return error;
}
