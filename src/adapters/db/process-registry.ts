import { randomUUID } from 'node:crypto';
import { hostname as osHostname, userInfo } from 'node:os';
import type { Db } from './database.js';
import { translateDatabaseError } from './db-errors.js';

/** A control room process that may hold claims and send messages: a TUI, `dispatch` or `pickup`. */
export interface ProcessRecord {
  id: string;
  pid: number;
  hostname: string;
  user: string;
  role: string;
  startedAt: string;
  heartbeatMs: number;
}

export interface RegistryOptions {
  /** A process whose heartbeat is older than this is taken for dead (default 15 s). */
  staleMs?: number;
  now?: () => number;
  hostname?: string;
  pidAlive?: (pid: number) => boolean;
}

export const HEARTBEAT_MS = 2_000;
const DEFAULT_STALE_MS = 15_000;

/** `alice@buildbox pid 4242 (pickup)`: who holds a claim, in the words the loser is told. */
export function describeProcess(p: Pick<ProcessRecord, 'user' | 'hostname' | 'pid' | 'role'>) {
  return `${p.user}@${p.hostname} pid ${p.pid} (${p.role})`;
}

/** Signal 0 checks existence: ESRCH means gone; EPERM means alive under another user. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

interface ProcessRow {
  id: string;
  pid: number;
  hostname: string;
  user: string;
  role: string;
  started_at: string;
  heartbeat_ms: number;
}

function recordOf(row: ProcessRow): ProcessRecord {
  return {
    id: row.id,
    pid: row.pid,
    hostname: row.hostname,
    user: row.user,
    role: row.role,
    startedAt: row.started_at,
    heartbeatMs: row.heartbeat_ms,
  };
}

/**
 * The live processes sharing one database. On this machine a process is dead when its pid is
 * gone (a `kill -9` is seen at once); anywhere, when its heartbeat is stale.
 */
export class ProcessRegistry {
  private readonly statements;
  private readonly staleMs: number;
  private readonly now: () => number;
  readonly hostname: string;
  private readonly alive: (pid: number) => boolean;

  constructor(
    db: Db,
    private readonly file: string,
    options: RegistryOptions = {},
  ) {
    this.staleMs = options.staleMs ?? DEFAULT_STALE_MS;
    this.now = options.now ?? Date.now;
    this.hostname = options.hostname ?? osHostname();
    this.alive = options.pidAlive ?? pidAlive;
    this.statements = {
      insert: db.prepare(
        `INSERT INTO processes (id, pid, hostname, user, role, started_at, heartbeat_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      // An upsert: a process taken for dead (its row removed) that is alive after all comes back.
      beat: db.prepare(
        `INSERT INTO processes (id, pid, hostname, user, role, started_at, heartbeat_ms)
         VALUES (@id, @pid, @hostname, @user, @role, @startedAt, @heartbeatMs)
         ON CONFLICT(id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms`,
      ),
      remove: db.prepare('DELETE FROM processes WHERE id = ?'),
      one: db.prepare('SELECT * FROM processes WHERE id = ?'),
      all: db.prepare('SELECT * FROM processes ORDER BY started_at'),
    };
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translateDatabaseError(this.file, error);
    }
  }

  register(role: string): ProcessRecord {
    const now = this.now();
    const record: ProcessRecord = {
      id: `p_${randomUUID()}`,
      pid: process.pid,
      hostname: this.hostname,
      user: currentUser(),
      role,
      startedAt: new Date(now).toISOString(),
      heartbeatMs: now,
    };
    this.guard(() =>
      this.statements.insert.run(
        record.id,
        record.pid,
        record.hostname,
        record.user,
        record.role,
        record.startedAt,
        record.heartbeatMs,
      ),
    );
    return record;
  }

  heartbeat(record: ProcessRecord): void {
    this.guard(() => this.statements.beat.run({ ...record, heartbeatMs: this.now() }));
  }

  unregister(id: string): void {
    this.guard(() => this.statements.remove.run(id));
  }

  get(id: string): ProcessRecord | undefined {
    const row = this.guard(() => this.statements.one.get(id) as ProcessRow | undefined);
    return row ? recordOf(row) : undefined;
  }

  all(): ProcessRecord[] {
    return this.guard(() => (this.statements.all.all() as ProcessRow[]).map(recordOf));
  }

  isDead(record: ProcessRecord): boolean {
    const stale = this.now() - record.heartbeatMs > this.staleMs;
    if (record.hostname !== this.hostname) return stale;
    return stale || !this.alive(record.pid);
  }

  dead(): ProcessRecord[] {
    return this.all().filter((p) => this.isDead(p));
  }
}
