import type {
  LastError,
  Severity,
  Ticket,
  TicketEvent,
  TicketMessageSummary,
  TicketState,
} from '../../domain/index.js';

/** The mapping between the tickets table and the domain's Ticket. */

export interface TicketRow {
  seq: number;
  key: string;
  title: string;
  severity: Severity;
  state: TicketState;
  owner: string | null;
  location: string | null;
  flagged_by: string | null;
  source_hash: string | null;
  body: string;
  suggested_fix: string | null;
  runtime_host: string | null;
  runtime_id: string | null;
  runtime_name: string | null;
  runtime_adopted: number;
  last_error: string | null;
  origin: string;
  created_at: string;
  updated_at: string;
}

export const TICKET_COLUMNS =
  'seq, key, title, severity, state, owner, location, flagged_by, source_hash, body, ' +
  'suggested_fix, runtime_host, runtime_id, runtime_name, runtime_adopted, last_error, ' +
  'origin, created_at, updated_at';

/** `events` are those after creation; the `created` entry is made from the row. */
export function ticketFromRow(
  row: TicketRow,
  events: TicketEvent[],
  messages: TicketMessageSummary[],
): Ticket {
  return {
    key: row.key,
    title: row.title,
    severity: row.severity,
    state: row.state,
    owner: row.owner,
    location: row.location,
    flaggedBy: row.flagged_by,
    sourceHash: row.source_hash,
    body: row.body,
    suggestedFix: row.suggested_fix,
    runtime:
      row.runtime_host !== null && row.runtime_id !== null
        ? {
            host: row.runtime_host,
            id: row.runtime_id,
            name: row.runtime_name,
            adopted: row.runtime_adopted === 1,
          }
        : null,
    lastError: row.last_error === null ? null : (JSON.parse(row.last_error) as LastError),
    messages,
    events: [{ at: row.created_at, type: 'created', text: row.origin }, ...events],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Named parameters for INSERT and UPDATE of the mutable columns. */
export function rowParams(ticket: Ticket) {
  return {
    key: ticket.key,
    title: ticket.title,
    severity: ticket.severity,
    state: ticket.state,
    owner: ticket.owner,
    location: ticket.location,
    flagged_by: ticket.flaggedBy,
    source_hash: ticket.sourceHash,
    body: ticket.body,
    suggested_fix: ticket.suggestedFix,
    runtime_host: ticket.runtime?.host ?? null,
    runtime_id: ticket.runtime?.id ?? null,
    runtime_name: ticket.runtime?.name ?? null,
    runtime_adopted: ticket.runtime?.adopted ? 1 : 0,
    last_error: ticket.lastError === null ? null : JSON.stringify(ticket.lastError),
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
  };
}
