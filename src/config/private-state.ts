/**
 * The state folder holds tickets, tokens and recordings of other people's code: only its owner
 * may read it. Folders are made 0700 and files 0600 whatever the umask, and a folder or file
 * found open to others (made by an older version, or by hand) is closed on start.
 */

import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** The group's and others' permission bits. */
const OPEN_TO_OTHERS = 0o077;

/**
 * The files of the state folder that are ours to close: the databases with their journals, and
 * the database's clean-close stamp and open lock (adapters/db/integrity.ts).
 */
const STATE_FILE = /^(?:control-room|host)\.db(?:-wal|-shm|-journal|\.clean|\.lock)?$/;
/** Its folders whose every file is ours: tokens and recordings. */
const STATE_SUBFOLDERS = ['host-tokens', 'recordings'];

/** Makes `dir` (its parents as usual) 0700, or takes others' access away when it exists. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  closeToOthers(dir, 'directory');
}

/**
 * Creates `file` empty with mode 0600 when it does not exist, so that what opens it next (SQLite,
 * which also gives its -wal and -shm files the database's mode) never makes it readable.
 */
export function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  closeToOthers(file, 'file');
}

/**
 * Takes others' access away from the state folder and the state files in it, when it exists
 * (nothing is created). Returns true when anything was changed, so the caller says so once.
 * Symbolic links are never followed; what cannot be changed (someone else's file) is left.
 */
export function makeStatePrivate(stateDir: string): boolean {
  const folder = closeToOthers(stateDir, 'directory');
  if (folder === 'absent') return false;
  let changed = folder === 'changed';
  for (const name of entries(stateDir)) {
    if (STATE_FILE.test(name) && closeToOthers(join(stateDir, name), 'file') === 'changed') {
      changed = true;
    }
  }
  for (const name of STATE_SUBFOLDERS) {
    const subfolder = join(stateDir, name);
    const result = closeToOthers(subfolder, 'directory');
    if (result === 'absent') continue;
    if (result === 'changed') changed = true;
    for (const file of entries(subfolder)) {
      if (closeToOthers(join(subfolder, file), 'file') === 'changed') changed = true;
    }
  }
  return changed;
}

type Closing = 'absent' | 'unchanged' | 'changed';

/**
 * Clears the group's and others' bits of a folder or regular file of that kind; never adds a
 * permission (a read-only database stays read-only, only now for its owner alone).
 */
function closeToOthers(path: string, kind: 'directory' | 'file'): Closing {
  let mode: number;
  try {
    const stat = lstatSync(path);
    if (kind === 'directory' ? !stat.isDirectory() : !stat.isFile()) return 'absent';
    mode = stat.mode & 0o777;
  } catch {
    return 'absent';
  }
  if ((mode & OPEN_TO_OTHERS) === 0) return 'unchanged';
  try {
    chmodSync(path, mode & ~OPEN_TO_OTHERS);
    return 'changed';
  } catch {
    return 'unchanged'; // not ours to change (EPERM); the owner's own business
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
