import type { Db } from './database.js';

const NUMBERED_KEY = /^(.*)-(\d{1,15})$/;

/**
 * Assigns `<PREFIX>-<n>` keys inside one write transaction. Counters are read once and written
 * back once (at `flush`), so a 100,000-ticket import does not touch the counter table per row.
 * A hand-given `CR-7` moves CR's counter past 7, so assigned keys never collide with it.
 */
export class KeyAllocator {
  private readonly counters = new Map<string, number>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly prefix: string,
  ) {}

  next(): string {
    const counter = this.prefix.toUpperCase();
    const n = this.current(counter);
    this.set(counter, n + 1);
    return `${this.prefix}-${n}`;
  }

  reserve(key: string): void {
    const match = NUMBERED_KEY.exec(key);
    if (!match) return;
    const counter = (match[1] as string).toUpperCase();
    const after = Number(match[2]) + 1;
    if (after > this.current(counter)) this.set(counter, after);
  }

  flush(): void {
    const upsert = this.db.prepare(
      `INSERT INTO key_counters (prefix, next) VALUES (?, ?)
       ON CONFLICT(prefix) DO UPDATE SET next = max(next, excluded.next)`,
    );
    for (const counter of this.dirty) upsert.run(counter, this.counters.get(counter));
    this.dirty.clear();
  }

  private current(counter: string): number {
    let n = this.counters.get(counter);
    if (n === undefined) {
      const row = this.db.prepare('SELECT next FROM key_counters WHERE prefix = ?').get(counter) as
        | { next: number }
        | undefined;
      n = row?.next ?? 1;
      this.counters.set(counter, n);
    }
    return n;
  }

  private set(counter: string, n: number): void {
    this.counters.set(counter, n);
    this.dirty.add(counter);
  }
}
