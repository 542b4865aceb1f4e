import type { TicketDraft } from './ticket.js';

/**
 * The most each text field of a new ticket may hold, in bytes of UTF-8 (`cli.md`, Import formats).
 * The figures keep every ticket deliverable: the fields a prompt is made of (title, location,
 * body, suggested fix) add up to well under one prompt, 256 KiB, and a ticket's text stays small
 * enough for the screen to show it whole.
 */
export const TICKET_FIELD_LIMITS = {
  title: 1024,
  owner: 1024,
  location: 4096,
  flaggedBy: 1024,
  sourceHash: 1024,
  body: 128 * 1024,
  suggestedFix: 64 * 1024,
} as const satisfies Partial<Record<keyof TicketDraft, number>>;

export type LimitedField = keyof typeof TICKET_FIELD_LIMITS;

export const LIMITED_FIELDS = Object.keys(TICKET_FIELD_LIMITS) as LimitedField[];

/** Bytes of `text` in UTF-8 (a lone surrogate counts as the three of the U+FFFD it becomes). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** "1 KiB", "128 KiB", "1.5 MiB": a limit or a size as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 ** 2, 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/** Why `value` cannot be `field` of a ticket, or undefined when it fits. */
export function fieldTooLong(field: LimitedField, value: string): string | undefined {
  const limit = TICKET_FIELD_LIMITS[field];
  // Each UTF-16 unit is at most three bytes: most values need no counting.
  if (value.length * 3 <= limit) return undefined;
  const bytes = utf8Length(value);
  if (bytes <= limit) return undefined;
  return (
    `too long: ${formatBytes(bytes)} (${bytes} bytes of UTF-8), at most ${formatBytes(limit)}; ` +
    'shorten it (a long log or listing belongs in a file the ticket names)'
  );
}

/** Every field of `draft` that is over its limit, with why, in the order of the limits. */
export function draftTooLong(draft: TicketDraft): { field: LimitedField; message: string }[] {
  const found: { field: LimitedField; message: string }[] = [];
  for (const field of LIMITED_FIELDS) {
    const value = draft[field];
    if (typeof value !== 'string') continue;
    const message = fieldTooLong(field, value);
    if (message !== undefined) found.push({ field, message });
  }
  return found;
}
