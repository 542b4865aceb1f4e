import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, ensurePrivateDir } from '../config/private-state.js';
import { SerialByKey } from './serial.js';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS host_idempotency (
  key TEXT PRIMARY KEY,
  runtime TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
)`;

/** An answer as it went out: its status and JSON body. */
export interface Answer {
  status: number;
  body: unknown;
}

export interface Remembered {
  runtime: string;
  answer: Answer;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The host's own small SQLite file (`host.db`), apart from the control room's database: each
 * send's idempotency key with the runtime it went to and the answer given, kept 24 hours.
 */
export class IdempotencyStore {
  private readonly db: Database.Database;
  private readonly keys = new SerialByKey();

  constructor(
    file: string,
    private readonly ttlMs = DAY_MS,
    private readonly now: () => number = Date.now,
  ) {
    ensurePrivateDir(dirname(file));
    createPrivateFile(file);
    this.db = new Database(file, { timeout: 5000 });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.prepare(CREATE_TABLE).run();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  get(key: string): Remembered | null {
    this.db
      .prepare('DELETE FROM host_idempotency WHERE created_at < ?')
      .run(this.now() - this.ttlMs);
    const row = this.db
      .prepare('SELECT runtime, status, body FROM host_idempotency WHERE key = ?')
      .get(key) as { runtime: string; status: number; body: string } | undefined;
    if (!row) return null;
    return { runtime: row.runtime, answer: { status: row.status, body: JSON.parse(row.body) } };
  }

  put(key: string, runtime: string, answer: Answer): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO host_idempotency (key, runtime, status, body, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(key, runtime, answer.status, JSON.stringify(answer.body), this.now());
  }

  /** A key whose text was cleared from its pane unsent: a retry with it is a new send. */
  forget(key: string): void {
    this.db.prepare('DELETE FROM host_idempotency WHERE key = ?').run(key);
  }

  /** Runs `work` after every earlier work of the same key: two sends of one key never overlap. */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.keys.run(key, work);
  }

  get open(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
