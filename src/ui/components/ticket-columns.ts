import { displayWidth } from '../../domain/display-width.js';
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

/**
 * Fixed columns that fit beside a title of at least MIN_TITLE; the title takes the rest.
 * `runtimeWant`: the widest runtime cell in view; the runtime column grows to it (an adopted or
 * queued binding read in full), first from the title's spare room, then by dropping the columns
 * that matter less than it (owner, age), never below its own width.
 */
export function layoutColumns(
  totalWidth: number,
  runtimeWant = 0,
): { columns: Column[]; titleWidth: number } {
  // The selection mark's gutter comes first and is never dropped.
  totalWidth -= GUTTER.length;
  let columns = [...ALL];
  const used = (cols: Column[]) => cols.reduce((sum, c) => sum + c.width + 1, 0);
  const dropLowest = (below = Number.POSITIVE_INFINITY): boolean => {
    const lowest = columns.reduce((a, b) => (b.priority < a.priority ? b : a));
    if (lowest.priority >= below) return false;
    columns = columns.filter((c) => c !== lowest);
    return true;
  };
  while (columns.length > 1 && totalWidth - used(columns) < MIN_TITLE) dropLowest();
  const runtime = columns.find((c) => c.id === 'runtime');
  if (runtime && runtimeWant > runtime.width) {
    const spare = () => totalWidth - used(columns) - MIN_TITLE;
    while (spare() < runtimeWant - runtime.width && dropLowest(runtime.priority)) {}
    const grown = {
      ...runtime,
      width: runtime.width + Math.max(0, Math.min(spare(), runtimeWant - runtime.width)),
    };
    columns = columns.map((c) => (c === runtime ? grown : c));
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

/**
 * `queued`: for a ticket queued behind another on a runtime, what the list says of it
 * (`queued on R after K`, from `selectQueue`); the runtime cell shows it in place of a binding.
 * `presence`: a word on the ticket's runtime (gone, exited, unreachable) for its cell, or null.
 */
export function cellText(
  ticket: Ticket,
  column: Column['id'],
  nowMs: number,
  width?: number,
  queued?: string | null,
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
        ? `${presence}: ${runtimeCell(ticket, width === undefined ? undefined : width - presence.length - 2, queued)}`
        : runtimeCell(ticket, width, queued);
    case 'age':
      return shortAge(ticket.createdAt, nowMs);
    case 'title':
      return sanitizeLine(ticket.title);
  }
}

/** How the runtime cell reads: a failed send's kind, an adopted runtime, or where it went. */
export type RuntimeTone = 'error' | 'warning' | 'plain';

/** The runtime cell's wordings, fullest first; the cell shows the first that fits its width. */
export function runtimeCellForms(ticket: Ticket, queued?: string | null): string[] {
  if (queued) return [queued, queued.replace(/^queued on /, '')];
  if (ticket.lastError && ticket.runtime === null) {
    const status = ticket.lastError.status === null ? '' : ` ${ticket.lastError.status}`;
    return [`✗ ${sanitizeLine(ticket.lastError.kind)}${status}`];
  }
  if (!ticket.runtime) return ['-'];
  const r = ticket.runtime;
  const name = sanitizeLine(r.name ?? r.id);
  const where = r.host === 'local' ? name : `${sanitizeLine(r.host)}:${name}`;
  return r.adopted ? [`adopted ${where}`, where] : [where];
}

export function runtimeCell(ticket: Ticket, width?: number, queued?: string | null): string {
  const forms = runtimeCellForms(ticket, queued);
  const fits = width === undefined ? forms[0] : forms.find((f) => displayWidth(f) <= width);
  return fits ?? forms.at(-1) ?? '-';
}

/** How wide the runtime column would like to be for these rows (their fullest wordings). */
export function runtimeWant(rows: readonly { ticket: Ticket; queued?: string | null }[]): number {
  let widest = 0;
  for (const { ticket, queued } of rows) {
    widest = Math.max(widest, displayWidth(runtimeCellForms(ticket, queued)[0] ?? ''));
  }
  return widest;
}

export function runtimeTone(
  ticket: Ticket,
  queued?: string | null,
  presence: string | null = null,
): RuntimeTone {
  if (queued) return 'warning';
  if (ticket.lastError && ticket.runtime === null) return 'error';
  // Its runtime is gone (or cannot be reached): the work needs the operator, like an error.
  if (presence && ticket.runtime) return 'error';
  return ticket.runtime?.adopted ? 'warning' : 'plain';
}
