import { displayWidth } from '../../domain/display-width.js';
import {
  type BindingPresence,
  maxOf,
  NO_PRESENCE,
  presenceNote,
  presenceTag,
  runtimeRefKey,
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
] as const;
/**
 * Where it went, and whether that runtime is still there (`gone: agent-a`): as wide as its
 * widest cell, so `queued on agent-a after K` reads whole, within these bounds.
 */
const RUNTIME_WIDTH = { min: 20, max: 44 };

/** A runtime as a cell names it: `agent-a` on this machine, `buildbox:agent-a` on a host. */
function runtimeWhere(r: NonNullable<Ticket['runtime']>): string {
  const name = sanitizeLine(r.name ?? r.id);
  return r.host === 'local' ? name : `${sanitizeLine(r.host)}:${name}`;
}

/**
 * Where a ticket went, as a cell: `-`, `agent-a`, `buildbox:agent-a`, `gone: agent-a`, or for a
 * ticket queued behind another `queued on agent-a after K` (`holders`: each runtime's ticket).
 */
function runtimeCell(
  ticket: Ticket,
  presence: BindingPresence,
  holders: ReadonlyMap<string, Ticket>,
): string {
  const r = ticket.runtime;
  if (!r) {
    const queuedOn = queuedRuntime(ticket);
    if (queuedOn === null) return '-';
    const holder = holders.get(queuedOn);
    if (!holder?.runtime) return `queued on ${sanitizeLine(queuedOn)}`;
    return `queued on ${runtimeWhere(holder.runtime)} after ${sanitizeLine(holder.key)}`;
  }
  const tag = presenceTag(presence);
  return tag ? `${tag}: ${runtimeWhere(r)}` : runtimeWhere(r);
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
  const holders = new Map<string, Ticket>();
  for (const t of tickets) if (t.runtime) holders.set(runtimeRefKey(t.runtime), t);
  const runtimes = tickets.map((t) => runtimeCell(t, presence(t), holders));
  const runtimeWidth = Math.min(
    RUNTIME_WIDTH.max,
    maxOf(
      runtimes.map((text) => displayWidth(text)),
      RUNTIME_WIDTH.min,
    ),
  );
  const fixed = COLUMNS.reduce((sum, c) => sum + c.width + 2, 0) + runtimeWidth + 2;
  const titleWidth = width === undefined ? undefined : Math.max(10, width - fixed);
  const cell = (text: string, w: number) => padToWidth(text, w);
  const title = (text: string) =>
    titleWidth === undefined ? text : truncateToWidth(text, titleWidth);
  const lines = [
    `${[...COLUMNS.map((c) => cell(c.title, c.width)), cell('RUNTIME', runtimeWidth)].join('  ')}  TITLE`,
    ...tickets.map((t, i) =>
      [
        cell(sanitizeLine(t.key), 10),
        cell(t.severity, 8),
        cell(t.state, 11),
        cell(sanitizeLine(t.owner ?? '-'), 8),
        cell(runtimes[i] ?? '-', runtimeWidth),
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
