import {
  type BindingPresence,
  NO_PRESENCE,
  presenceNote,
  presenceTag,
  sanitize,
  sanitizeLine,
  type Ticket,
} from '../../domain/index.js';
import { queuedRuntime } from '../../store/selectors.js';
import { padToWidth, truncateToWidth } from '../../ui/text-width.js';

/**
 * Human output of tickets. Every field is untrusted and is sanitised here: titles and bodies
 * are stored as given, but never reach a terminal raw.
 */

const COLUMNS = [
  { title: 'KEY', width: 10 },
  { title: 'SEVERITY', width: 8 },
  { title: 'STATE', width: 11 },
  { title: 'OWNER', width: 8 },
  // Where it went, and whether that runtime is still there (`gone: agent-a`).
  { title: 'RUNTIME', width: 20 },
] as const;

/** Where a ticket went, as a cell: `-`, `agent-a`, `buildbox:agent-a`, `gone: agent-a`. */
function runtimeCell(ticket: Ticket, presence: BindingPresence): string {
  const r = ticket.runtime;
  if (!r) return '-';
  const name = sanitizeLine(r.name ?? r.id);
  const where = r.host === 'local' ? name : `${sanitizeLine(r.host)}:${name}`;
  const tag = presenceTag(presence);
  return tag ? `${tag}: ${where}` : where;
}

/**
 * One line a ticket; with a width, the title is cut to fit it. `presence` says whether each
 * ticket's runtime is still there (nothing is said without it).
 */
export function ticketTable(
  tickets: readonly Ticket[],
  width?: number,
  presence: (ticket: Ticket) => BindingPresence = () => NO_PRESENCE,
): string {
  const fixed = COLUMNS.reduce((sum, c) => sum + c.width + 2, 0);
  const titleWidth = width === undefined ? undefined : Math.max(10, width - fixed);
  const cell = (text: string, w: number) => padToWidth(text, w);
  const title = (text: string) =>
    titleWidth === undefined ? text : truncateToWidth(text, titleWidth);
  const lines = [
    `${COLUMNS.map((c) => cell(c.title, c.width)).join('  ')}  TITLE`,
    ...tickets.map((t) =>
      [
        cell(sanitizeLine(t.key), 10),
        cell(t.severity, 8),
        cell(t.state, 11),
        cell(sanitizeLine(t.owner ?? '-'), 8),
        cell(runtimeCell(t, presence(t)), 20),
        title(sanitizeLine(t.title)),
      ].join('  '),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function field(label: string, value: string | null): string {
  return `${`${label}:`.padEnd(14)}${value === null || value === '' ? '-' : sanitizeLine(value)}`;
}

function block(label: string, text: string | null): string[] {
  const clean = text === null ? '' : sanitize(text).trim();
  if (!clean) return [];
  return ['', `${label}:`, ...clean.split('\n').map((l) => `  ${l}`)];
}

export function ticketDetail(ticket: Ticket, presence: BindingPresence = NO_PRESENCE): string {
  const note = presenceNote(presence);
  const queuedOn = queuedRuntime(ticket);
  const binding = ticket.runtime
    ? `${ticket.runtime.host}:${ticket.runtime.name ?? ticket.runtime.id}${ticket.runtime.adopted ? ' (adopted: it was busy)' : ''}${note ? ` · ${note}` : ''}`
    : queuedOn
      ? `queued for ${queuedOn} behind the ticket it works on (the timeline says which)`
      : null;
  const lastError = ticket.lastError
    ? `${ticket.lastError.kind}${ticket.lastError.status === null ? '' : ` ${ticket.lastError.status}`} from ${ticket.lastError.host} at ${ticket.lastError.at}: ${ticket.lastError.message}`
    : null;
  const lines = [
    `${sanitizeLine(ticket.key)}  ${sanitizeLine(ticket.title)}`,
    '',
    field('Severity', ticket.severity),
    field('State', ticket.state),
    field('Owner', ticket.owner),
    field('Location', ticket.location),
    field('Flagged by', ticket.flaggedBy),
    field('Source hash', ticket.sourceHash),
    field('Runtime', binding),
    field('Last error', lastError),
    field('Created', ticket.createdAt),
    field('Updated', ticket.updatedAt),
    ...block('Issue', ticket.body),
    ...block('Suggested fix', ticket.suggestedFix),
  ];
  if (ticket.messages.length > 0) {
    lines.push('', 'Messages:');
    for (const m of ticket.messages) {
      const error = m.error ? ` (${sanitizeLine(m.error)})` : '';
      lines.push(
        `  ${sanitizeLine(m.id)}  ${sanitizeLine(m.state)}${error}  ${sanitizeLine(m.runtime)}`,
      );
    }
  }
  if (ticket.events.length > 0) {
    lines.push('', 'Timeline:');
    for (const e of ticket.events) {
      lines.push(
        `  ${sanitizeLine(e.at)}  ${sanitizeLine(e.type).padEnd(16)} ${sanitizeLine(e.text)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
