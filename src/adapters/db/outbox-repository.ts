import { AppFailure, type MessageState, type Ticket } from '../../domain/index.js';
import type { Db } from './database.js';
import { translateDatabaseError } from './db-errors.js';
import type { TicketRepository } from './ticket-repository.js';

/** One message of the outbox, as stored. */
export interface OutboxMessage {
  id: string;
  ticketKey: string;
  host: string;
  runtimeId: string;
  runtimeName: string | null;
  text: string;
  idempotencyKey: string;
  state: MessageState;
  error: string | null;
  attempts: number;
  sendingBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** The ticket's state and binding now: a message whose ticket moved on is not delivered. */
  ticketState: string;
  boundTo: string | null;
}

export type NewMessage = Pick<
  OutboxMessage,
  'id' | 'host' | 'runtimeId' | 'runtimeName' | 'text' | 'idempotencyKey' | 'sendingBy'
>;

/** What a step writes besides the ticket, in the same transaction. */
export interface RowChange {
  insertMessage?: NewMessage;
  message?: {
    id: string;
    state: MessageState;
    error: string | null;
    sendingBy: string | null;
    attempts?: number;
  };
  /** Releases this process's claim on the ticket. */
  releaseClaimOf?: string;
  /** The step applies only while this process is still sending the message (else: null). */
  ifSendingBy?: { messageId: string; processId: string };
  /** The step applies only while this process still holds the claim (else: null). */
  ifClaimedBy?: string;
  /** The step applies only while the message is in this state, and nobody sends it (else: null). */
  ifMessageState?: { messageId: string; state: MessageState };
  /**
   * Every other ticket bound to this runtime, stepped in the same transaction (a delivery
   * moves the runtime on to this ticket: no moment has two tickets bound to one runtime).
   */
  othersBoundTo?: { host: string; id: string; reduce: (t: Ticket) => Ticket };
}

/** A ticket bound to a runtime, as stored. */
export interface BindingRow {
  ticketKey: string;
  host: string;
  runtimeId: string;
  runtimeName: string | null;
  adopted: boolean;
}

export type ClaimResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; reason: 'held'; processId: string; since: string }
  | { ok: false; reason: 'state'; ticket: Ticket };

export interface ClaimRow {
  ticketKey: string;
  processId: string;
  claimedAt: string;
}

interface MessageRow {
  id: string;
  key: string;
  host: string;
  runtime_id: string;
  runtime_name: string | null;
  text: string;
  idempotency_key: string;
  state: MessageState;
  error: string | null;
  attempts: number;
  sending_by: string | null;
  created_at: string;
  updated_at: string;
  ticket_state: string;
  bound_host: string | null;
  bound_id: string | null;
}

function messageOf(row: MessageRow): OutboxMessage {
  return {
    id: row.id,
    ticketKey: row.key,
    host: row.host,
    runtimeId: row.runtime_id,
    runtimeName: row.runtime_name,
    text: row.text,
    idempotencyKey: row.idempotency_key,
    state: row.state,
    error: row.error,
    attempts: row.attempts,
    sendingBy: row.sending_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ticketState: row.ticket_state,
    boundTo: row.bound_host && row.bound_id ? `${row.bound_host}:${row.bound_id}` : null,
  };
}

const MESSAGE_SELECT = `SELECT m.*, t.key, t.state AS ticket_state, t.runtime_host AS bound_host,
  t.runtime_id AS bound_id FROM messages m JOIN tickets t ON t.seq = m.ticket_seq`;

/**
 * Claims and the outbox. Every step of a pickup is one IMMEDIATE transaction that re-reads the
 * ticket, so two processes on one database never lose each other's writes.
 */
export class OutboxRepository {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly tickets: TicketRepository,
  ) {
    const prepare = (sql: string) => db.prepare(sql);
    this.s = {
      seq: prepare('SELECT seq, state FROM tickets WHERE key = ?'),
      claimOf: prepare('SELECT process_id, claimed_at FROM claims WHERE ticket_seq = ?'),
      insertClaim: prepare(
        'INSERT INTO claims (ticket_seq, process_id, claimed_at) VALUES (?, ?, ?)',
      ),
      releaseClaim: prepare('DELETE FROM claims WHERE ticket_seq = ? AND process_id = ?'),
      sendingBy: prepare('SELECT sending_by FROM messages WHERE id = ?'),
      messageState: prepare('SELECT state, sending_by FROM messages WHERE id = ?'),
      claimsBy: prepare(
        `SELECT t.key, c.process_id, c.claimed_at FROM claims c JOIN tickets t ON t.seq = c.ticket_seq
         WHERE c.process_id = ?`,
      ),
      allClaims: prepare(
        'SELECT t.key, c.process_id, c.claimed_at FROM claims c JOIN tickets t ON t.seq = c.ticket_seq',
      ),
      insertMessage: prepare(
        `INSERT INTO messages (id, ticket_seq, host, runtime_id, runtime_name, text, idempotency_key,
           state, error, attempts, sending_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', NULL, 0, ?, ?, ?)`,
      ),
      updateMessage: prepare(
        `UPDATE messages SET state = ?, error = ?, sending_by = ?, attempts = coalesce(?, attempts),
           updated_at = ? WHERE id = ?`,
      ),
      lease: prepare(
        `UPDATE messages SET sending_by = ?, updated_at = ?
         WHERE id = ? AND state = 'pending' AND sending_by IS NULL`,
      ),
      unlease: prepare('UPDATE messages SET sending_by = NULL WHERE id = ? AND sending_by = ?'),
      one: prepare(`${MESSAGE_SELECT} WHERE m.id = ?`),
      open: prepare(
        `${MESSAGE_SELECT} WHERE m.state = 'pending' AND m.sending_by IS NULL ORDER BY m.created_at, m.rowid`,
      ),
      inFlight: prepare(
        `${MESSAGE_SELECT} WHERE m.state = 'pending' AND m.sending_by IS NOT NULL ORDER BY m.created_at, m.rowid`,
      ),
      byState: prepare(`${MESSAGE_SELECT} WHERE m.state = ? ORDER BY m.created_at, m.rowid`),
      all: prepare(`${MESSAGE_SELECT} ORDER BY m.created_at, m.rowid`),
      bindings: prepare(
        `SELECT key, runtime_host, runtime_id, runtime_name, runtime_adopted FROM tickets
         WHERE runtime_host IS NOT NULL AND runtime_id IS NOT NULL ORDER BY seq`,
      ),
      boundTo: prepare(
        'SELECT key FROM tickets WHERE runtime_host = ? AND runtime_id = ? AND seq <> ? ORDER BY seq',
      ),
      counts: prepare(
        `SELECT sum(state = 'pending') AS pending, sum(state = 'unknown') AS unknown FROM messages`,
      ),
    };
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translateDatabaseError(this.file, error);
    }
  }

  private seqOf(key: string): { seq: number; state: string } {
    const row = this.s.seq.get(key) as { seq: number; state: string } | undefined;
    if (!row) {
      throw new AppFailure({
        kind: 'not_found',
        message: `no ticket ${key}`,
        hint: 'control-room tickets list shows them',
      });
    }
    return row;
  }

  /**
   * One operator or process wins: the claim row is the lock. A ticket that is not todo is
   * refused (it is in progress somewhere, or finished), and so is one claimed by another.
   */
  claim(key: string, processId: string, at: string, reduce: (t: Ticket) => Ticket): ClaimResult {
    return this.guard(() =>
      this.db
        .transaction((): ClaimResult => {
          const { seq, state } = this.seqOf(key);
          const held = this.s.claimOf.get(seq) as
            | { process_id: string; claimed_at: string }
            | undefined;
          if (held) {
            return {
              ok: false,
              reason: 'held',
              processId: held.process_id,
              since: held.claimed_at,
            };
          }
          const ticket = this.tickets.get(key) as Ticket;
          if (state !== 'todo') return { ok: false, reason: 'state', ticket };
          this.s.insertClaim.run(seq, processId, at);
          return { ok: true, ticket: this.saveReduced(ticket, reduce) };
        })
        .immediate(),
    );
  }

  /**
   * Re-reads the ticket, applies one step to it, and writes both in one transaction; null when
   * a condition of the change no longer holds (another process got there first).
   */
  update(
    key: string,
    reduce: (t: Ticket) => Ticket,
    change: RowChange = {},
    at = '',
  ): Ticket | null {
    return this.guard(() =>
      this.db
        .transaction((): Ticket | null => {
          const { seq } = this.seqOf(key);
          if (change.ifSendingBy) {
            const row = this.s.sendingBy.get(change.ifSendingBy.messageId) as
              | { sending_by: string | null }
              | undefined;
            if (row?.sending_by !== change.ifSendingBy.processId) return null;
          }
          if (change.ifMessageState) {
            const row = this.s.messageState.get(change.ifMessageState.messageId) as
              | { state: string; sending_by: string | null }
              | undefined;
            if (row?.state !== change.ifMessageState.state || row.sending_by !== null) return null;
          }
          if (change.ifClaimedBy) {
            const held = this.s.claimOf.get(seq) as { process_id: string } | undefined;
            if (held?.process_id !== change.ifClaimedBy) return null;
          }
          // The ticket as it was before this step's row changes: the reducer reads the message
          // states off it (a cancel acts only on a message that is still pending).
          const before = this.tickets.get(key) as Ticket;
          const now = at || new Date().toISOString();
          const m = change.insertMessage;
          if (m) {
            this.s.insertMessage.run(
              m.id,
              seq,
              m.host,
              m.runtimeId,
              m.runtimeName,
              m.text,
              m.idempotencyKey,
              m.sendingBy,
              now,
              now,
            );
          }
          const u = change.message;
          if (u) {
            this.s.updateMessage.run(u.state, u.error, u.sendingBy, u.attempts ?? null, now, u.id);
          }
          if (change.releaseClaimOf) this.s.releaseClaim.run(seq, change.releaseClaimOf);
          const saved = this.saveReduced(before, reduce);
          const others = change.othersBoundTo;
          if (others) {
            const rows = this.s.boundTo.all(others.host, others.id, seq) as { key: string }[];
            for (const row of rows)
              this.saveReduced(this.tickets.get(row.key) as Ticket, others.reduce);
          }
          return saved;
        })
        .immediate(),
    );
  }

  private saveReduced(ticket: Ticket, reduce: (t: Ticket) => Ticket): Ticket {
    const next = reduce(ticket);
    if (next !== ticket) this.tickets.save(next, next.events.slice(ticket.events.length));
    return next;
  }

  releaseClaim(key: string, processId: string): void {
    this.guard(() => {
      const row = this.s.seq.get(key) as { seq: number } | undefined;
      if (row) this.s.releaseClaim.run(row.seq, processId);
    });
  }

  /** Takes a pending message for sending; false when another process has it or it is settled. */
  lease(id: string, processId: string): boolean {
    return this.guard(
      () => this.s.lease.run(processId, new Date().toISOString(), id).changes === 1,
    );
  }

  unlease(id: string, processId: string): void {
    this.guard(() => this.s.unlease.run(id, processId));
  }

  message(id: string): OutboxMessage | undefined {
    const row = this.guard(() => this.s.one.get(id) as MessageRow | undefined);
    return row ? messageOf(row) : undefined;
  }

  /** Pending messages nobody is sending, oldest first. */
  open(): OutboxMessage[] {
    return this.guard(() => (this.s.open.all() as MessageRow[]).map(messageOf));
  }

  /** Messages some process is sending now (or was, when it died). */
  inFlight(): OutboxMessage[] {
    return this.guard(() => (this.s.inFlight.all() as MessageRow[]).map(messageOf));
  }

  list(state?: MessageState): OutboxMessage[] {
    return this.guard(() =>
      (state ? this.s.byState.all(state) : this.s.all.all()).map((r) => messageOf(r as MessageRow)),
    );
  }

  /** Waiting and unknown messages, counted in SQL (for the status bar). */
  counts(): { pending: number; unknown: number } {
    const row = this.guard(
      () => this.s.counts.get() as { pending: number | null; unknown: number | null },
    );
    return { pending: row.pending ?? 0, unknown: row.unknown ?? 0 };
  }

  /** Every ticket bound to a runtime, oldest first: which ticket each runtime works on. */
  bindings(): BindingRow[] {
    const rows = this.guard(
      () =>
        this.s.bindings.all() as {
          key: string;
          runtime_host: string;
          runtime_id: string;
          runtime_name: string | null;
          runtime_adopted: number;
        }[],
    );
    return rows.map((r) => ({
      ticketKey: r.key,
      host: r.runtime_host,
      runtimeId: r.runtime_id,
      runtimeName: r.runtime_name,
      adopted: r.runtime_adopted === 1,
    }));
  }

  claims(processId?: string): ClaimRow[] {
    const rows = this.guard(
      () =>
        (processId === undefined ? this.s.allClaims.all() : this.s.claimsBy.all(processId)) as {
          key: string;
          process_id: string;
          claimed_at: string;
        }[],
    );
    return rows.map((r) => ({
      ticketKey: r.key,
      processId: r.process_id,
      claimedAt: r.claimed_at,
    }));
  }
}
