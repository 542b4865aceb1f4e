/**
 * The identity of an imported finding that carries no `auto-review-hash`: a hash of what makes
 * it the same finding (its title, location and issue text, and its key when it names one), so
 * that importing the same file again, or a copy of it saved with other line endings or
 * re-wrapped, adds nothing. Stored as the ticket's source hash, where the import's dedupe
 * already looks.
 */

import { createHash } from 'node:crypto';
import type { TicketDraft } from '../../domain/ticket.js';
import type { ParsedRecord } from './records.js';

/** Marks a hash made here, so it is never taken for one a review tool wrote. */
export const CONTENT_HASH_PREFIX = 'content:';

/**
 * Text as a reader sees it: Unicode composed the same way, and every run of white space (line
 * endings included) one space, with none at either end.
 */
export function normaliseForIdentity(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** `content:` and the SHA-256 (hex) of the finding's normalised key, title, location and issue. */
export function contentHash(draft: TicketDraft): string {
  // A JSON array keeps the fields apart: no text of one field can pass for another's.
  const identity = JSON.stringify([
    normaliseForIdentity(draft.key),
    normaliseForIdentity(draft.title),
    normaliseForIdentity(draft.location),
    normaliseForIdentity(draft.body),
  ]);
  return CONTENT_HASH_PREFIX + createHash('sha256').update(identity, 'utf8').digest('hex');
}

/** Gives each record without a source hash its content hash; records with one keep theirs. */
export function withIdentity(records: ParsedRecord[]): ParsedRecord[] {
  for (const record of records) {
    const hash = record.draft.sourceHash;
    if (hash === undefined || hash === null || hash.trim() === '') {
      record.draft.sourceHash = contentHash(record.draft);
    }
  }
  return records;
}
