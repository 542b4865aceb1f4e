import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

interface Closable {
  readonly open: boolean;
  close(): unknown;
}

export interface TempDirs {
  /** A new empty folder under the system temp folder, removed after the test. */
  make(): string;
  /** Closes `db` after the test (before its folder is removed), unless the test closed it. */
  closeLater<T extends Closable>(db: T): T;
}

/**
 * Temporary folders (`cr-db-*`) and the connections opened in them, cleaned up in `afterEach`:
 * connections are closed first, then the folders are removed.
 */
export function tempDirsPerTest(): TempDirs {
  const dirs: string[] = [];
  const connections: Closable[] = [];
  afterEach(() => {
    for (const db of connections.splice(0).reverse()) if (db.open) db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    make() {
      const dir = mkdtempSync(path.join(tmpdir(), 'cr-db-'));
      dirs.push(dir);
      return dir;
    },
    closeLater(db) {
      connections.push(db);
      return db;
    },
  };
}

export function sha256OfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The names in a folder, sorted: shows a `-wal`/`-shm`/`-journal` file left behind. */
export function folderListing(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The failure `work` throws; fails the test when it throws nothing. */
export function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, but nothing was thrown');
}
