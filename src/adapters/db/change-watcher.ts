import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Db } from './database.js';

export interface ChangeWatcherOptions {
  /** The fallback check when no file event comes (default 1000 ms). */
  pollMs?: number;
  /** Coalesces a burst of file events into one check (default 50 ms). */
  settleMs?: number;
}

/**
 * Calls `onChange` when another connection commits to the database. `PRAGMA data_version`
 * changes only for other connections' commits, so this process's own writes are not echoed.
 * The WAL file's changes wake it at once (inotify, no polling); a slow poll covers file systems
 * without events. Returns the way to stop.
 */
export function watchDatabaseChanges(
  db: Db,
  file: string,
  onChange: () => void,
  options: ChangeWatcherOptions = {},
): () => void {
  let version = dataVersion(db);
  let stopped = false;
  let settle: NodeJS.Timeout | undefined;
  const check = () => {
    settle = undefined;
    if (stopped) return;
    let now: number;
    try {
      now = dataVersion(db);
    } catch {
      return;
    }
    if (now !== version) {
      version = now;
      onChange();
    }
  };
  const soon = () => {
    if (!settle && !stopped) settle = setTimeout(check, options.settleMs ?? 50);
  };
  const names = new Set([`${basename(file)}-wal`, basename(file)]);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || names.has(String(name))) soon();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  const poll = setInterval(check, options.pollMs ?? 1000);
  poll.unref();
  return () => {
    stopped = true;
    clearInterval(poll);
    if (settle) clearTimeout(settle);
    watcher?.close();
  };
}

function dataVersion(db: Db): number {
  return db.pragma('data_version', { simple: true }) as number;
}
