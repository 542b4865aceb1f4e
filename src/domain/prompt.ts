import { sanitize, sanitizeLine } from './sanitize.js';
import type { Ticket } from './ticket.js';

/** The text an agent receives for a ticket: what is wrong, where, and what to do about it. */
export function promptForTicket(
  ticket: Pick<Ticket, 'key' | 'title' | 'severity' | 'location' | 'body' | 'suggestedFix'>,
): string {
  // Keys and severities are checked on the way in, but a prompt is typed into an agent: every
  // field is treated as untrusted here too, and the header stays on one line.
  const header = `${sanitizeLine(ticket.key)} (${sanitizeLine(ticket.severity)})`;
  const lines = [`Ticket ${header}: ${sanitizeLine(ticket.title).trim()}`];
  if (ticket.location) lines.push(`Location: ${sanitizeLine(ticket.location).trim()}`);
  const body = sanitize(ticket.body).trim();
  if (body) lines.push('', 'Issue:', body);
  const fix = ticket.suggestedFix ? sanitize(ticket.suggestedFix).trim() : '';
  if (fix) lines.push('', 'Suggested fix:', fix);
  return lines.join('\n');
}
