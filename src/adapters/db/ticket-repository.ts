import {
  AppFailure,
  TICKET_STATES,
  type Ticket,
  type TicketDraft,
  type TicketEvent,
  type TicketMessageSummary,
  type TicketState,
  type TicketTotals,
} from '../../domain/index.js';
import type { Db } from './database.js';
import { translateDatabaseError } from './db-errors.js';
import { jsonFragments, listJsonFragments } from './ticket-json-reader.js';
import { rowParams, TICKET_COLUMNS, type TicketRow, ticketFromRow } from './ticket-rows.js';
import { TicketWriter } from './ticket-writer.js';

export interface ImportItem {
  line: number;
  draft: TicketDraft;
}

export interface ImportOutcome {
  imported: string[];
  skipped: { line: number; sourceHash: string; existingKey: string }[];
}

/** Tickets, their timeline and their outbox summary, in one SQLite file. */
export class TicketRepository {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly keyPrefix: string,
  ) {
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = {
      update: prepare(
        `UPDATE tickets SET title=@title, severity=@severity, state=@state, owner=@owner,
          location=@location, flagged_by=@flagged_by, source_hash=@source_hash, body=@body,
          suggested_fix=@suggested_fix, runtime_host=@runtime_host, runtime_id=@runtime_id,
          runtime_name=@runtime_name, runtime_adopted=@runtime_adopted, last_error=@last_error,
          updated_at=@updated_at WHERE key=@key`,
      ),
      insertEvent: prepare('INSERT INTO events (ticket_seq, at, type, text) VALUES (?, ?, ?, ?)'),
      seqOf: prepare('SELECT seq, key FROM tickets WHERE key = ?'),
      byHash: prepare('SELECT key FROM tickets WHERE source_hash = ?'),
      allHashes: prepare('SELECT source_hash, key FROM tickets WHERE source_hash IS NOT NULL'),
      one: prepare(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE key = ?`),
      all: prepare(`SELECT ${TICKET_COLUMNS} FROM tickets ORDER BY seq DESC`),
      allInState: prepare(
        `SELECT ${TICKET_COLUMNS} FROM tickets WHERE state = ? ORDER BY seq DESC`,
      ),
      eventsOf: prepare('SELECT at, type, text FROM events WHERE ticket_seq = ? ORDER BY id'),
      eventsFrom: prepare(
        'SELECT ticket_seq, at, type, text FROM events WHERE ticket_seq >= ? ORDER BY ticket_seq, id',
      ),
      messagesOf: prepare(
        'SELECT id, state, host, runtime_id, error FROM messages WHERE ticket_seq = ? ORDER BY created_at, rowid',
      ),
      messagesFrom: prepare(
        'SELECT ticket_seq, id, state, host, runtime_id, error FROM messages WHERE ticket_seq >= ? ORDER BY created_at, rowid',
      ),
      count: prepare('SELECT count(*) AS n FROM tickets'),
      newest: prepare(`SELECT ${TICKET_COLUMNS} FROM tickets ORDER BY seq DESC LIMIT ?`),
      countsByState: prepare('SELECT state, count(*) AS n FROM tickets GROUP BY state'),
      followers: prepare(
        `SELECT key, state, runtime_id FROM tickets WHERE runtime_host = ?
          AND state IN ('in_progress', 'needs_input') ORDER BY seq DESC`,
      ),
    };
  }

  /** Runs `work`, turning SQLite's failures into typed ones that name the file. */
  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translateDatabaseError(this.file, error);
    }
  }

  count(): number {
    return this.guard(() => (this.statements.count.get() as { n: number }).n);
  }

  add(draft: TicketDraft, now: string): Ticket {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const writer = new TicketWriter(this.db, this.keyPrefix, now);
          const key = writer.add(draft, 'created');
          writer.finish();
          return this.get(key) as Ticket;
        })
        .immediate(),
    );
  }

  /** One transaction: every ticket of the batch is written, or none is. */
  importBatch(items: readonly ImportItem[], source: string, now: string): ImportOutcome {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const outcome: ImportOutcome = { imported: [], skipped: [] };
          const writer = new TicketWriter(this.db, this.keyPrefix, now);
          const known = this.knownHashes(items.length);
          for (const { line, draft } of items) {
            const hash = draft.sourceHash ?? null;
            if (hash !== null) {
              const existing = known.get(hash);
              if (existing !== undefined) {
                outcome.skipped.push({ line, sourceHash: hash, existingKey: existing });
                continue;
              }
            }
            const key = writer.add(draft, `imported from ${source}:${line}`, line);
            if (hash !== null) known.set(hash, key);
            outcome.imported.push(key);
          }
          writer.finish();
          return outcome;
        })
        .immediate(),
    );
  }

  /**
   * The source hashes already stored, for dedupe. A large batch reads them all in one scan;
   * a small one looks each up through the index as it goes.
   */
  private knownHashes(batchSize: number): {
    get(hash: string): string | undefined;
    set(hash: string, key: string): void;
  } {
    const seen = new Map<string, string>();
    if (batchSize >= 5000) {
      for (const row of this.statements.allHashes.iterate() as Iterable<{
        source_hash: string;
        key: string;
      }>) {
        seen.set(row.source_hash, row.key);
      }
      return seen;
    }
    return {
      get: (hash) =>
        seen.get(hash) ?? (this.statements.byHash.get(hash) as { key: string } | undefined)?.key,
      set: (hash, key) => {
        seen.set(hash, key);
      },
    };
  }

  get(key: string): Ticket | undefined {
    return this.guard(() => {
      const row = this.statements.one.get(key) as TicketRow | undefined;
      if (!row) return undefined;
      const events = this.statements.eventsOf.all(row.seq) as TicketEvent[];
      const messages = (this.statements.messagesOf.all(row.seq) as MessageRow[]).map(summary);
      return ticketFromRow(row, events, messages);
    });
  }

  /**
   * The newest `limit` tickets, and how many there are in each state: what a first frame needs
   * (its rows and its counts) without reading every ticket first.
   */
  firstPage(limit: number): { page: Ticket[]; totals: TicketTotals } {
    return this.guard(() => {
      const rows = this.statements.newest.all(limit) as TicketRow[];
      // The newest rows are exactly those from the smallest seq among them: two queries, not two a row.
      const page = this.withTimelines(rows, rows.at(-1)?.seq ?? Number.MAX_SAFE_INTEGER);
      const byState = Object.fromEntries(TICKET_STATES.map((s) => [s, 0])) as Record<
        TicketState,
        number
      >;
      let total = 0;
      for (const { state, n } of this.statements.countsByState.all() as {
        state: TicketState;
        n: number;
      }[]) {
        byState[state] = n;
        total += n;
      }
      return { page, totals: { total, byState } };
    });
  }

  /** Newest first. Three queries whatever the count, grouped here, so 100,000 stay fast. */
  list(filter: { state?: TicketState } = {}): Ticket[] {
    return this.guard(() => {
      const rows = (
        filter.state === undefined
          ? this.statements.all.all()
          : this.statements.allInState.all(filter.state)
      ) as TicketRow[];
      return this.withTimelines(rows, 0);
    });
  }

  /** The tickets of `rows` with their events and messages, read for every ticket from `fromSeq` on. */
  private withTimelines(rows: readonly TicketRow[], fromSeq: number): Ticket[] {
    const events = new Map<number, TicketEvent[]>();
    for (const e of this.statements.eventsFrom.iterate(fromSeq) as Iterable<EventRow>) {
      const list = events.get(e.ticket_seq);
      const event = { at: e.at, type: e.type, text: e.text };
      if (list) list.push(event);
      else events.set(e.ticket_seq, [event]);
    }
    const messages = new Map<number, TicketMessageSummary[]>();
    for (const m of this.statements.messagesFrom.iterate(fromSeq) as Iterable<MessageRow>) {
      const list = messages.get(m.ticket_seq);
      if (list) list.push(summary(m));
      else messages.set(m.ticket_seq, [summary(m)]);
    }
    return rows.map((row) =>
      ticketFromRow(row, events.get(row.seq) ?? [], messages.get(row.seq) ?? []),
    );
  }

  /**
   * The same tickets as `list`, newest first, as UTF-8 JSON fragments (whole tickets joined by
   * ",\n") to write out as they come; large listings are read in parallel.
   */
  jsonFragments(filter: { state?: TicketState } = {}): AsyncGenerator<Buffer> {
    return listJsonFragments(this.db, this.file, filter.state ?? null);
  }

  /** Every ticket as its JSON text, newest first, read in this thread (for checks and tests). */
  *listJson(filter: { state?: TicketState } = {}): Generator<string> {
    const range = { after: 0, upTo: Number.MAX_SAFE_INTEGER };
    for (const fragment of this.guard(() => [
      ...jsonFragments(this.db, range, filter.state ?? null),
    ])) {
      for (const ticket of JSON.parse(`[${fragment.toString('utf8')}]`) as unknown[]) {
        yield JSON.stringify(ticket);
      }
    }
  }

  /**
   * The tickets that follow a runtime of `host` (in progress or needing input, and bound there):
   * their keys, states and runtime ids only, so a runtime list costs one small query.
   */
  followers(host: string): { key: string; state: TicketState; runtimeId: string }[] {
    type Row = { key: string; state: TicketState; runtime_id: string };
    return this.guard(() =>
      (this.statements.followers.all(host) as Row[]).map((row) => ({
        key: row.key,
        state: row.state,
        runtimeId: row.runtime_id,
      })),
    );
  }

  /**
   * Reads a ticket, applies `change` and writes what changed, in one transaction: another
   * process's change in between is read first, never overwritten. Returns the ticket written,
   * or null when there is no such ticket or nothing changed.
   */
  update(key: string, change: (ticket: Ticket) => Ticket): Ticket | null {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const before = this.get(key);
          if (!before) return null;
          const after = change(before);
          if (after === before) return null;
          this.save(after, after.events.slice(before.events.length));
          return after;
        })
        .immediate(),
    );
  }

  /** Writes a ticket the reducer produced, with the timeline events it appended. */
  save(ticket: Ticket, newEvents: readonly TicketEvent[]): void {
    this.guard(() =>
      this.db
        .transaction(() => {
          const found = this.statements.seqOf.get(ticket.key) as { seq: number } | undefined;
          if (!found) {
            throw new AppFailure({ kind: 'not_found', message: `no ticket ${ticket.key}` });
          }
          this.statements.update.run(rowParams(ticket));
          for (const e of newEvents)
            this.statements.insertEvent.run(found.seq, e.at, e.type, e.text);
        })
        .immediate(),
    );
  }
}

interface EventRow {
  ticket_seq: number;
  at: string;
  type: string;
  text: string;
}

interface MessageRow {
  ticket_seq: number;
  id: string;
  state: string;
  host: string;
  runtime_id: string;
  error: string | null;
}

function summary(m: MessageRow): TicketMessageSummary {
  return { id: m.id, state: m.state, runtime: `${m.host}:${m.runtime_id}`, error: m.error };
}
