import { formatBytes, TICKET_FIELD_LIMITS, utf8Length } from '../../domain/index.js';
import { markdownLines, type StyledLine } from './markdown-lines.js';

/**
 * The detail's long texts (the issue, the suggested fix), bounded: a ticket written before the
 * import limits, or by another tool, can hold tens of megabytes, and wrapping all of it took
 * seconds a frame and then overflowed the stack. The detail wraps the first part only and says
 * how much is left; `tickets show` prints all of it.
 */

/** UTF-16 units of one text the detail wraps: the body's limit, so a ticket within it shows whole. */
export const DETAIL_TEXT_MAX = TICKET_FIELD_LIMITS.body;
/** One-line values (title, owner, an event) are cut here, before they are cleaned and wrapped. */
export const DETAIL_LINE_MAX = TICKET_FIELD_LIMITS.location;

export interface LongTextLines {
  lines: StyledLine[];
  /** What was not wrapped: its lines (a cut one counts) and its size; 0 when none. */
  hiddenLines: number;
  hiddenBytes: number;
}

/** `text` cut to `max` UTF-16 units with "…" when longer, never between the halves of a pair. */
export function clipText(text: string, max: number = DETAIL_LINE_MAX): string {
  if (text.length <= max) return text;
  return `${text.slice(0, pairSafe(text, max))}…`;
}

/** The offset to cut at, moved back one when it would split a surrogate pair. */
function pairSafe(text: string, at: number): number {
  const c = text.charCodeAt(at - 1);
  return c >= 0xd800 && c <= 0xdbff ? at - 1 : at;
}

/**
 * Where to cut a long text: after the last line break within `max`, so no line is cut in half,
 * or at `max` when the first `max` units hold no line break.
 */
function cutPoint(text: string, max: number): number {
  const lastBreak = text.lastIndexOf('\n', max - 1);
  return lastBreak > 0 ? lastBreak : pairSafe(text, max);
}

function countLines(text: string): number {
  if (text.trim() === '') return 0;
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/** The last few texts wrapped: each render, and the keys between renders, ask for the same. */
const recent: { text: string; columns: number; max: number; result: LongTextLines }[] = [];
const RECENT_MAX = 4;

/** A long Markdown text as detail lines, at most the first `max` units of it wrapped. */
export function longTextLines(
  text: string,
  columns: number,
  max: number = DETAIL_TEXT_MAX,
): LongTextLines {
  const hit = recent.find((r) => r.text === text && r.columns === columns && r.max === max);
  if (hit) return hit.result;
  let result: LongTextLines;
  if (text.length <= max) {
    result = { lines: markdownLines(text, columns), hiddenLines: 0, hiddenBytes: 0 };
  } else {
    const cut = cutPoint(text, max);
    const rest = text.slice(text.charCodeAt(cut) === 0x0a ? cut + 1 : cut);
    result = {
      lines: markdownLines(text.slice(0, cut), columns),
      hiddenLines: countLines(rest),
      hiddenBytes: utf8Length(rest),
    };
  }
  recent.unshift({ text, columns, max, result });
  recent.length = Math.min(recent.length, RECENT_MAX);
  return result;
}

/** "… 3,210 more lines (2.1 MiB) not shown here: `control-room tickets show KEY` prints them". */
export function hiddenNote(hidden: LongTextLines, key: string): string {
  const lines =
    hidden.hiddenLines === 1 ? '1 more line' : `${count(hidden.hiddenLines)} more lines`;
  return `… ${lines} (${formatBytes(hidden.hiddenBytes)}) not shown here: \`control-room tickets show ${key}\` prints them`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
