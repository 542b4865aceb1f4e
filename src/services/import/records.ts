/**
 * What every import format shares: the result shapes, turning one plain object (a JSON element,
 * an NDJSON line) into a `TicketDraft`, and the small text helpers the parsers need.
 * Nothing here sanitizes: ticket text is stored as given and made safe where it is shown.
 */

import {
  isSeverity,
  isTicketState,
  isValidTicketKey,
  KEY_RULE,
  SEVERITIES,
  type Severity,
  TICKET_STATES,
  type TicketDraft,
} from '../../domain/ticket.js';
import { draftTooLong } from '../../domain/ticket-limits.js';

export interface ParsedRecord {
  /** 1-based line where the record starts. */
  line: number;
  draft: TicketDraft;
}

export interface RecordProblem {
  line: number;
  field?: string;
  message: string;
}

export type ParseResult =
  | { ok: true; records: ParsedRecord[] }
  | { ok: false; problems: RecordProblem[] };

/** A file with more problems than this is refused with the first ones only. */
export const MAX_PROBLEMS = 50;

/** Collects problems up to `MAX_PROBLEMS`; parsers stop once it is `full`. */
export class ProblemList {
  readonly items: RecordProblem[] = [];

  get full(): boolean {
    return this.items.length >= MAX_PROBLEMS;
  }

  add(problem: RecordProblem): void {
    if (!this.full) this.items.push(problem);
  }

  /** Takes a list as it is, never spread into arguments: one record can have very many. */
  addAll(problems: readonly RecordProblem[]): void {
    for (const problem of problems) {
      if (this.full) return;
      this.items.push(problem);
    }
  }
}

export function finish(records: ParsedRecord[], problems: ProblemList): ParseResult {
  return problems.items.length > 0
    ? { ok: false, problems: problems.items }
    : { ok: true, records };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits once; a `\r` before each `\n` is dropped, so CRLF files read like LF files. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Maps a string offset to its 1-based line: line starts computed once, then binary search. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  let at = text.indexOf('\n');
  while (at !== -1) {
    starts.push(at + 1);
    at = text.indexOf('\n', at + 1);
  }
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

/** Fields of a `tickets list --json` export that an import accepts and ignores. */
const EXPORT_ONLY_FIELDS = new Set([
  'runtime',
  'lastError',
  'messages',
  'events',
  'createdAt',
  'updatedAt',
]);

const NULLABLE_STRING_FIELDS = [
  'owner',
  'location',
  'flaggedBy',
  'sourceHash',
  'suggestedFix',
] as const;

const KNOWN_FIELDS = new Set<string>([
  'key',
  'title',
  'severity',
  'state',
  'body',
  ...NULLABLE_STRING_FIELDS,
]);

const SHOWN_STRING_MAX = 60;

/** A short, quoted, escaped rendering of an offending value for a problem message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const shown =
        value.length > SHOWN_STRING_MAX ? `${value.slice(0, SHOWN_STRING_MAX)}…` : value;
      return JSON.stringify(shown);
    }
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return String(value);
  }
}

export function severityMessage(value: unknown): string {
  return `expected one of ${SEVERITIES.join(', ')}, got ${describeValue(value)}`;
}

/** Severity names are matched case-insensitively (`High` is `high`). */
export function parseSeverity(value: string): Severity | undefined {
  const lower = value.trim().toLowerCase();
  return isSeverity(lower) ? lower : undefined;
}

/** A field name from the input, shown as is when plain and quoted otherwise. */
export function fieldLabel(name: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : describeValue(name);
}

/**
 * Validates one imported object. Every problem of the object is reported, not just the first.
 * `null` for an optional field means absent; `severity` stays undefined when absent so that
 * the caller applies the default.
 */
export function draftFromObject(
  value: unknown,
  line: number,
): { ok: true; draft: TicketDraft } | { ok: false; problems: RecordProblem[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: [{ line, message: 'expected an object' }] };
  }
  const input = value as Record<string, unknown>;
  const problems: RecordProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ line, field, message });
  const draft: TicketDraft = { title: '' };

  for (const name of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(name) && !EXPORT_ONLY_FIELDS.has(name)) {
      problem(fieldLabel(name), `unknown field ${describeValue(name)}`);
    }
  }

  const title = input.title;
  if (title === undefined || title === null) {
    problem('title', 'required: a non-empty string');
  } else if (typeof title !== 'string' || title.trim() === '') {
    problem('title', `expected a non-empty string, got ${describeValue(title)}`);
  } else {
    draft.title = title;
  }

  const key = input.key;
  if (key !== undefined && key !== null) {
    if (typeof key !== 'string') {
      problem('key', `expected a string, got ${describeValue(key)}`);
    } else if (!isValidTicketKey(key)) {
      problem('key', `${describeValue(key)} is not a valid ticket key: ${KEY_RULE}`);
    } else {
      draft.key = key;
    }
  }

  const severity = input.severity;
  if (severity !== undefined && severity !== null) {
    const parsed = typeof severity === 'string' ? parseSeverity(severity) : undefined;
    if (parsed === undefined) problem('severity', severityMessage(severity));
    else draft.severity = parsed;
  }

  const state = input.state;
  if (state !== undefined && state !== null) {
    if (typeof state === 'string' && isTicketState(state)) draft.state = state;
    else {
      problem('state', `expected one of ${TICKET_STATES.join(', ')}, got ${describeValue(state)}`);
    }
  }

  const body = input.body;
  if (body !== undefined && body !== null) {
    if (typeof body === 'string') draft.body = body;
    else problem('body', `expected a string, got ${describeValue(body)}`);
  }

  for (const field of NULLABLE_STRING_FIELDS) {
    const fieldValue = input[field];
    if (fieldValue === undefined) continue;
    if (fieldValue === null || typeof fieldValue === 'string') draft[field] = fieldValue;
    else problem(field, `expected a string or null, got ${describeValue(fieldValue)}`);
  }
  for (const { field, message } of draftTooLong(draft)) problem(field, message);

  return problems.length > 0 ? { ok: false, problems } : { ok: true, draft };
}
