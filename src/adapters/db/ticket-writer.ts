import type Database from 'better-sqlite3';
import {
  AppFailure,
  DEFAULT_SEVERITY,
  draftTooLong,
  type TicketDraft,
} from '../../domain/index.js';
import type { Db } from './database.js';
import { KeyAllocator } from './key-allocator.js';

/**
 * Writes new tickets inside the caller's transaction, with the
 * key counters read and written once. (Multi-row INSERTs were tried for imports: slower here.)
 */
export class TicketWriter {
  private readonly keys: KeyAllocator;
  private readonly insertTicket: Database.Statement;
  private readonly keyOf: Database.Statement;

  constructor(
    db: Db,
    keyPrefix: string,
    private readonly now: string,
  ) {
    this.keys = new KeyAllocator(db, keyPrefix);
    // New tickets are unbound and error-free; only the columns a draft can set are written.
    this.insertTicket = db.prepare(
      `INSERT INTO tickets (key, title, severity, state, owner, location, flagged_by,
        source_hash, body, suggested_fix, origin, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.keyOf = db.prepare('SELECT key FROM tickets WHERE key = ?');
  }

  /** Writes one ticket (its origin is the timeline's `created` entry); returns its key. */
  add(draft: TicketDraft, origin: string, line?: number): string {
    // Every way in checks the limits with its own words first; this holds them for any other.
    const tooLong = draftTooLong(draft)[0];
    if (tooLong !== undefined) {
      const { field, message } = tooLong;
      throw new AppFailure({ kind: 'input', field, message, ...(line ? { line } : {}) });
    }
    let key: string;
    if (draft.key === undefined) {
      key = this.keys.next();
    } else {
      const existing = this.keyOf.get(draft.key) as { key: string } | undefined;
      if (existing) throw keyTaken(existing.key, line);
      this.keys.reserve(draft.key);
      key = draft.key;
    }
    this.insertTicket.run(
      key,
      draft.title,
      draft.severity ?? DEFAULT_SEVERITY,
      draft.state ?? 'todo',
      draft.owner ?? null,
      draft.location ?? null,
      draft.flaggedBy ?? null,
      draft.sourceHash ?? null,
      draft.body ?? '',
      draft.suggestedFix ?? null,
      origin,
      this.now,
      this.now,
    );
    return key;
  }

  /** Writes the key counters; call before the transaction ends. */
  finish(): void {
    this.keys.flush();
  }
}

function keyTaken(existing: string, line: number | undefined): AppFailure {
  const message = `a ticket ${existing} exists already`;
  const hint = 'leave the key out to have one assigned, or choose another';
  return line === undefined
    ? new AppFailure({ kind: 'conflict', message, hint })
    : new AppFailure({ kind: 'input', line, field: 'key', message, hint });
}
