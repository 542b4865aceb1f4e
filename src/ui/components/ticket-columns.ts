import { sanitizeLine, type Ticket } from '../../domain/index.js';

/** Columns of the ticket list, dropped by priority when the terminal is narrow. */
export interface Column {
  id: 'key' | 'severity' | 'state' | 'owner' | 'runtime' | 'age' | 'title';
  title: string;
  width: number;
  /** Lower drops first. */
  priority: number;
}

const ALL: readonly Column[] = [
  { id: 'key', title: 'KEY', width: 10, priority: 9 },
  { id: 'severity', title: 'SEV', width: 8, priority: 8 },
  { id: 'state', title: 'STATE', width: 11, priority: 7 },
  { id: 'owner', title: 'OWNER', width: 8, priority: 2 },
  // Where the ticket went, or how its last send failed: the pickup's outcome, on the row.
  { id: 'runtime', title: 'RUNTIME', width: 14, priority: 6 },
  { id: 'age', title: 'AGE', width: 4, priority: 3 },
];

const MIN_TITLE = 20;

/** Marks the selected row without colour, so it shows under NO_COLOR and to screen readers. */
export const SELECTED_MARK = '› ';
export const GUTTER = '  ';

/** Fixed columns that fit beside a title of at least MIN_TITLE; the title takes the rest. */
export function layoutColumns(totalWidth: number): { columns: Column[]; titleWidth: number } {
  // The selection mark's gutter comes first and is never dropped.
  totalWidth -= GUTTER.length;
  let columns = [...ALL];
  const used = (cols: Column[]) => cols.reduce((sum, c) => sum + c.width + 1, 0);
  while (columns.length > 1 && totalWidth - used(columns) < MIN_TITLE) {
    const lowest = columns.reduce((a, b) => (b.priority < a.priority ? b : a));
    columns = columns.filter((c) => c !== lowest);
  }
  return { columns, titleWidth: Math.max(1, totalWidth - used(columns)) };
}

/** "4m", "3h", "12d": how long ago, in the fewest characters. */
export function shortAge(fromIso: string, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 1000));
  if (Number.isNaN(seconds)) return '?';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** `presence`: a word on the ticket's runtime (gone, exited, unreachable) for its cell, or null. */
export function cellText(
  ticket: Ticket,
  column: Column['id'],
  nowMs: number,
  presence: string | null = null,
): string {
  switch (column) {
    case 'key':
      return sanitizeLine(ticket.key);
    case 'severity':
      return ticket.severity;
    case 'state':
      return ticket.state.replace('_', ' ');
    case 'owner':
      return sanitizeLine(ticket.owner ?? '-');
    case 'runtime':
      return presence && ticket.runtime
        ? `${presence}: ${runtimeCell(ticket)}`
        : runtimeCell(ticket);
    case 'age':
      return shortAge(ticket.createdAt, nowMs);
    case 'title':
      return sanitizeLine(ticket.title);
  }
}

/** How the runtime cell reads: a failed send's kind, an adopted runtime, or where it went. */
export type RuntimeTone = 'error' | 'warning' | 'plain';

export function runtimeCell(ticket: Ticket): string {
  if (ticket.lastError && ticket.runtime === null) {
    const status = ticket.lastError.status === null ? '' : ` ${ticket.lastError.status}`;
    return `✗ ${sanitizeLine(ticket.lastError.kind)}${status}`;
  }
  if (!ticket.runtime) return '-';
  const r = ticket.runtime;
  const name = sanitizeLine(r.name ?? r.id);
  const where = r.host === 'local' ? name : `${sanitizeLine(r.host)}:${name}`;
  return r.adopted ? `adopted ${where}` : where;
}

export function runtimeTone(ticket: Ticket, presence: string | null = null): RuntimeTone {
  if (ticket.lastError && ticket.runtime === null) return 'error';
  // Its runtime is gone (or cannot be reached): the work needs the operator, like an error.
  if (presence && ticket.runtime) return 'error';
  return ticket.runtime?.adopted ? 'warning' : 'plain';
}
