/**
 * Review-findings Markdown (`cli.md`): findings separated by a `---` line, each a `# title`
 * heading, `**Label:**` fields that may share a line, and an `auto-review-hash:` line.
 *
 * Linear in the size of the text, and cheap on memory: one pass over the lines by offset (no
 * string per line), checks anchored at a line start, the label search resumed where it last
 * stopped (never rescanned), and each value cut out of the text once, at the end of its finding.
 */

import type { TicketDraft } from '../../domain/ticket.js';
import { draftTooLong, type LimitedField } from '../../domain/ticket-limits.js';
import {
  finish,
  type ParsedRecord,
  type ParseResult,
  ProblemList,
  parseSeverity,
  type RecordProblem,
  severityMessage,
  stripBom,
} from './records.js';

type LabelField = 'severity' | 'location' | 'flaggedBy' | 'body' | 'suggestedFix';

const LABEL_NAMES: Record<LabelField, string> = {
  severity: 'Severity',
  location: 'Location',
  flaggedBy: 'Flagged by',
  body: 'Issue',
  suggestedFix: 'Suggested fix',
};

/**
 * `**Severity:**`, and the common slip `**Severity**:`. Unknown `**Other:**` is plain text.
 * Sticky: tried at one `**` at a time; it cannot match across a line break.
 */
const LABEL =
  /\*\*[ \t]*(?:severity|location|flagged[ \t]+by|issue|suggested[ \t]+fix)[ \t]*(?::\*\*|\*\*[ \t]*:)/iy;
/** Sticky: tried at a line start only. */
const HASH_LINE = /[ \t]*auto-review-hash:/iy;
const LEADING_TAG = /^\[[^\]]*\]/;

const NEWLINE = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const DASH = 0x2d;

export function parseFindingsMarkdown(text: string): ParseResult {
  const source = stripBom(text);
  const problems = new ProblemList();
  const records: ParsedRecord[] = [];
  const labels = new LabelSearch(source);
  const finding = new Finding(source, labels);
  let lineStart = 0;
  let lineNumber = 1;
  while (lineStart <= source.length && !problems.full) {
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? source.length : newline;
    const contentEnd =
      lineEnd > lineStart && source.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
    if (isSeparator(source, lineStart, contentEnd)) {
      const record = finding.finish(lineStart, problems);
      if (record !== undefined) records.push(record);
      finding.reset();
    } else {
      finding.addLine(lineStart, contentEnd, lineNumber);
    }
    lineStart = lineEnd + 1;
    lineNumber++;
  }
  if (!problems.full) {
    const record = finding.finish(source.length, problems);
    if (record !== undefined) records.push(record);
  }
  return finish(records, problems);
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** A line that is `---`, spaces and tabs around it allowed. */
function isSeparator(source: string, start: number, end: number): boolean {
  let from = start;
  let to = end;
  while (from < to && isBlank(source.charCodeAt(from))) from++;
  while (to > from && isBlank(source.charCodeAt(to - 1))) to--;
  return (
    to - from === 3 &&
    source.charCodeAt(from) === DASH &&
    source.charCodeAt(from + 1) === DASH &&
    source.charCodeAt(from + 2) === DASH
  );
}

/** A `# ` heading (up to three spaces of indent, as in CommonMark). */
function isHeading(source: string, start: number, end: number): boolean {
  let at = start;
  while (at < end && at - start < 3 && source.charCodeAt(at) === SPACE) at++;
  if (at >= end || source.charCodeAt(at) !== HASH) return false;
  return at + 1 === end || isBlank(source.charCodeAt(at + 1));
}

function isBlankRange(source: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = source.charCodeAt(at);
    if (!isBlank(code) && code !== CR && code !== NEWLINE) return false;
  }
  return true;
}

/**
 * Finds labels in the whole text, remembering the last answer: a search from `from` that found
 * a label at or after a later `from` (or found none at all) answers that later question too, so
 * each part of the text is searched once however long the lines between labels are.
 */
class LabelSearch {
  private searchedFrom = -1;
  /** Where the label found last starts, -1 for none; `end` is where its value starts. */
  at = -1;
  end = -1;

  constructor(private readonly source: string) {}

  /** Finds the first label starting at or after `from`; returns its start, or -1. */
  next(from: number): number {
    const reusable =
      this.searchedFrom !== -1 && this.searchedFrom <= from && (this.at === -1 || this.at >= from);
    if (!reusable) {
      this.search(from);
      this.searchedFrom = from;
    }
    return this.at;
  }

  /** `indexOf` finds each `**` fast; the pattern is then tried there only, without a match array. */
  private search(from: number): void {
    for (let at = this.source.indexOf('**', from); at !== -1; ) {
      LABEL.lastIndex = at;
      if (LABEL.test(this.source)) {
        this.at = at;
        this.end = LABEL.lastIndex;
        return;
      }
      at = this.source.indexOf('**', at + 1);
    }
    this.at = -1;
    this.end = -1;
  }

  /** The field of the label found last, read from its first letters. */
  field(): LabelField {
    let name = this.at + 2;
    while (isBlank(this.source.charCodeAt(name))) name++;
    switch (this.source.charCodeAt(name) | 0x20) {
      case 0x6c: // l
        return 'location';
      case 0x66: // f
        return 'flaggedBy';
      case 0x69: // i
        return 'body';
      default: // s: Severity or Suggested fix
        return (this.source.charCodeAt(name + 1) | 0x20) === 0x65 ? 'severity' : 'suggestedFix';
    }
  }
}

/** The labels in the order their values are read; a value is kept as offsets until the end. */
const FIELDS: readonly LabelField[] = ['severity', 'location', 'flaggedBy', 'body', 'suggestedFix'];
const SLOT: Record<LabelField, number> = {
  severity: 0,
  location: 1,
  flaggedBy: 2,
  body: 3,
  suggestedFix: 4,
};
/** Values of `current` besides a slot: text under no label; text of a refused second label. */
const LOOSE = -1;
const DISCARDED = FIELDS.length;

/** One finding at a time, fed line by line; reset and reused for the next one. */
class Finding {
  private firstLine = 0;
  private title: string | undefined;
  private titleLine = 0;
  private sawLabel = false;
  /** Per label: the line of the label, and its value as [start, end) offsets; start -1: absent. */
  private readonly lines = new Int32Array(FIELDS.length + 1);
  private readonly starts = new Int32Array(FIELDS.length + 1);
  private readonly ends = new Int32Array(FIELDS.length + 1);
  /** The label whose value the next text extends, or LOOSE. */
  private current = LOOSE;
  /** Text under no label, as [start, end) offset pairs, one pair per line piece. */
  private readonly loose: number[] = [];
  private hash: string | undefined;
  private hashLine = 0;
  private problems: RecordProblem[] = [];

  constructor(
    private readonly source: string,
    private readonly labels: LabelSearch,
  ) {
    this.reset();
  }

  reset(): void {
    this.firstLine = 0;
    this.title = undefined;
    this.titleLine = 0;
    this.sawLabel = false;
    this.starts.fill(-1);
    this.current = LOOSE;
    this.loose.length = 0;
    this.hash = undefined;
    this.hashLine = 0;
    if (this.problems.length > 0) this.problems = [];
  }

  addLine(start: number, end: number, line: number): void {
    const source = this.source;
    if (this.firstLine === 0) {
      if (isBlankRange(source, start, end)) return;
      this.firstLine = line;
    }

    if (!this.sawLabel && this.title === undefined && isHeading(source, start, end)) {
      const heading = source.slice(source.indexOf('#', start) + 1, end).trim();
      const title = heading.replace(LEADING_TAG, '').trim();
      if (title !== '') {
        this.title = title;
        this.titleLine = line;
      }
      return;
    }

    HASH_LINE.lastIndex = start;
    if (HASH_LINE.test(source)) {
      this.close(start);
      if (this.hash !== undefined) {
        this.problems.push({
          line,
          field: 'sourceHash',
          message: `a second "auto-review-hash:" line; the first is on line ${this.hashLine}`,
        });
      } else {
        this.hash = source.slice(HASH_LINE.lastIndex, end).trim();
        this.hashLine = line;
      }
      return;
    }

    let rest = start;
    for (let at = this.labels.next(rest); at !== -1 && at < end; at = this.labels.next(rest)) {
      if (this.current === LOOSE && at > rest) this.loose.push(rest, at);
      this.close(at);
      rest = this.labels.end;
      this.open(this.labels.field(), rest, line);
    }
    if (this.current === LOOSE && (rest < end || rest === start)) this.loose.push(rest, end);
  }

  private open(field: LabelField, start: number, line: number): void {
    this.sawLabel = true;
    let slot = SLOT[field];
    if (this.starts[slot] !== -1) {
      this.problems.push({
        line,
        field,
        message: `a second "**${LABEL_NAMES[field]}:**" label; the first is on line ${this.lines[slot]}`,
      });
      slot = DISCARDED;
    }
    this.lines[slot] = line;
    this.starts[slot] = start;
    this.ends[slot] = -1;
    this.current = slot;
  }

  private close(at: number): void {
    if (this.current !== LOOSE) this.ends[this.current] = at;
    this.current = LOOSE;
  }

  /** The finding ends at `end` (a separator line or the end of the text). */
  finish(end: number, problems: ProblemList): ParsedRecord | undefined {
    this.close(end);
    if (this.firstLine === 0) return undefined; // only blank lines between two separators

    const found = this.problems;
    if (this.title === undefined) {
      found.push({ line: this.firstLine, message: 'finding has no title (a "# heading" line)' });
    }

    const draft: TicketDraft = { title: this.title ?? '' };
    for (let slot = 0; slot < FIELDS.length; slot++) {
      const start = this.starts[slot] ?? -1;
      if (start === -1) continue;
      const field = FIELDS[slot] as LabelField;
      const value =
        field === 'body' || field === 'suggestedFix'
          ? this.cut(start, this.ends[slot] ?? start)
          : singleLine(this.cut(start, this.ends[slot] ?? start));
      switch (field) {
        case 'severity': {
          const severity = parseSeverity(value);
          if (severity === undefined) {
            found.push({ line: this.lines[slot] ?? 0, field, message: severityMessage(value) });
          } else {
            draft.severity = severity;
          }
          break;
        }
        case 'body':
          draft.body = value;
          break;
        default:
          draft[field] = value === '' ? null : value;
      }
    }
    if (draft.body === undefined && this.loose.length > 0) {
      // A finding written without `**Issue:**` keeps its free text as the body.
      const pieces: string[] = [];
      for (let i = 0; i < this.loose.length; i += 2) {
        pieces.push(this.cut(this.loose[i] ?? 0, this.loose[i + 1] ?? 0, false));
      }
      const text = pieces.join('\n').trim();
      if (text !== '') draft.body = text;
    }
    if (this.hash !== undefined) draft.sourceHash = this.hash === '' ? null : this.hash;
    for (const { field, message } of draftTooLong(draft)) {
      found.push({ line: this.lineOf(field), field, message });
    }

    if (found.length > 0 || this.title === undefined) {
      problems.addAll(found.sort((a, b) => a.line - b.line));
      return undefined;
    }
    return { line: this.titleLine, draft };
  }

  /** The line a field's value starts on: its heading, label or hash line; else the finding's. */
  private lineOf(field: LimitedField): number {
    if (field === 'title') return this.titleLine;
    if (field === 'sourceHash') return this.hashLine;
    const slot = field === 'owner' ? -1 : SLOT[field];
    return slot !== -1 && this.starts[slot] !== -1 ? (this.lines[slot] ?? 0) : this.firstLine;
  }

  /** The text of [start, end), trimmed unless told not to, with CRLF read as LF. */
  private cut(start: number, end: number, trim = true): string {
    let from = start;
    let to = end;
    if (trim) {
      while (from < to && isAsciiSpace(this.source.charCodeAt(from))) from++;
      while (to > from && isAsciiSpace(this.source.charCodeAt(to - 1))) to--;
    }
    const text = this.source.slice(from, to);
    const lf = text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
    return trim ? lf.trim() : lf; // trim() returns a trimmed string itself, without a copy
  }
}

function isAsciiSpace(code: number): boolean {
  return code === SPACE || code === TAB || code === NEWLINE || code === CR;
}

/** A one-line value: wrapped lines joined by single spaces. */
function singleLine(value: string): string {
  if (!value.includes('\n')) return value;
  const words: string[] = [];
  for (const piece of value.split('\n')) {
    const trimmed = piece.trim();
    if (trimmed !== '') words.push(trimmed);
  }
  return words.join(' ');
}
