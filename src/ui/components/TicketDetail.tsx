import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { displayWidth } from '../../domain/display-width.js';
import {
  type BindingPresence,
  NO_PRESENCE,
  presenceNote,
  type Severity,
  sanitize,
  sanitizeLine,
  type Ticket,
  type TicketState,
} from '../../domain/index.js';
import {
  queuedRuntime,
  selectInputLeft,
  selectPresence,
  selectQueue,
} from '../../store/selectors.js';
import { useAppStore, useTheme } from '../store-context.js';
import type { Theme } from '../theme/theme.js';
import { clipText, DETAIL_TEXT_MAX, hiddenNote, longTextLines } from './long-text.js';
import { type Segment, truncateLine, wrapSegments } from './styled-text.js';
import { shortAge } from './ticket-columns.js';

/** A theme token by name: lines say what a piece means, the theme says what colour that is. */
export type Tone =
  | 'text'
  | 'muted'
  | 'accent'
  | 'error'
  | 'warning'
  | 'success'
  | `severity.${Severity}`
  | `state.${TicketState}`;

export interface DetailSegment extends Segment {
  tone?: Tone;
}

export interface DetailLine {
  segments: DetailSegment[];
}

const NO_RUNTIMES: ReadonlySet<string> = new Set();
const INPUT_NOTE =
  'input not empty: text waits in its input line; on the runtimes view, s submits it, x clears it';

/** Wide enough for the longest label, "source hash", and two spaces. */
const LABEL_WIDTH = 13;
/** Below this many columns for a value, its label (or head) goes on a line of its own. */
const MIN_VALUE_WIDTH = 20;

const seg = (text: string, tone?: Tone, style?: Segment['style']): DetailSegment => ({
  text,
  ...(tone ? { tone } : {}),
  ...(style ? { style } : {}),
});

/** "2026-11-25T06:00:00Z (3h ago)", or the bare stamp when it does not parse. */
function when(at: string, nowMs: number): string {
  const age = shortAge(at, nowMs);
  return age === '?' ? sanitizeLine(at) : `${sanitizeLine(at)} (${age} ago)`;
}

/** What a message's state means for the operator: failed and unknown need a look. */
function messageTone(state: string): Tone {
  if (state === 'failed') return 'error';
  if (state === 'unknown') return 'warning';
  if (state === 'delivered') return 'success';
  return 'muted';
}

/**
 * The whole ticket as lines of at most `width` columns (fenced code and its fence lines excepted:
 * the view cuts those rather than wrap them). Pure, so the view can clamp its scroll to the line count and tests can read
 * it without Ink. Every ticket string is untrusted and is sanitised here.
 */
export function detailLines(
  ticket: Ticket,
  width: number,
  nowMs: number,
  presence: BindingPresence = NO_PRESENCE,
  /** `queued on R after K` for a ticket queued behind another (`selectQueue`), else null. */
  queue: string | null = null,
  /** `host:id` of the runtimes with text left in their input lines (`selectInputLeft`). */
  inputLeft: ReadonlySet<string> = NO_RUNTIMES,
): DetailLine[] {
  const columns = Math.max(1, width);
  const out: DetailLine[] = [];

  /**
   * `head` (a label, or a message's id and state) then `body` wrapped beside it, each later line
   * under the body's first column; when that leaves too little room, the head gets a line of its
   * own and the body wraps under it, indented.
   */
  const hanging = (head: DetailSegment[], body: DetailSegment[]) => {
    const headWidth = head.reduce((sum, s) => sum + displayWidth(s.text), 0);
    const alone = columns - headWidth < MIN_VALUE_WIDTH;
    const indent = alone ? 2 : headWidth;
    const rows = splitLines(body).flatMap((p) => wrapSegments(p, columns - indent));
    if (alone) for (const row of wrapSegments(head, columns)) out.push({ segments: row });
    rows.forEach((row, i) => {
      out.push({ segments: [...(i === 0 && !alone ? head : [seg(' '.repeat(indent))]), ...row] });
    });
  };
  /** A labelled value; `tone` colours a plain string value. */
  const field = (label: string, value: DetailSegment[] | string, tone?: Tone) => {
    hanging(
      [seg(label.padEnd(LABEL_WIDTH), 'muted')],
      typeof value === 'string' ? [seg(value || '-', tone)] : value,
    );
  };
  const heading = (text: string, tone: Tone = 'accent') => {
    out.push({ segments: [] });
    out.push({ segments: [seg(text, tone, 'bold')] });
  };
  // One-line values are cut before they are cleaned: a field can be megabytes long.
  const one = (text: string | null) => sanitizeLine(clipText(text ?? ''));
  const key = one(ticket.key);
  /** A long Markdown text, wrapped as far as the detail wraps one; then what is left, if any. */
  const long = (text: string) => {
    const wrapped = longTextLines(text, columns);
    // One by one: a spread of a long array into push's arguments overflows the stack.
    for (const line of wrapped.lines) out.push(line);
    if (wrapped.hiddenLines === 0) return;
    out.push({ segments: [] });
    for (const row of wrapSegments([seg(hiddenNote(wrapped, key), 'warning')], columns)) {
      out.push({ segments: row });
    }
  };

  const titleRows = wrapSegments(
    [seg(key, 'accent', 'bold'), seg(' '), seg(one(ticket.title), 'text', 'bold')],
    columns,
  );
  for (const row of titleRows) out.push({ segments: row });
  out.push({ segments: [] });

  field('severity', ticket.severity, `severity.${ticket.severity}`);
  field('state', ticket.state.replace('_', ' '), `state.${ticket.state}`);
  field('owner', one(ticket.owner));
  field('location', one(ticket.location));
  field('flagged by', one(ticket.flaggedBy));
  field('source hash', one(ticket.sourceHash));
  const rt = ticket.runtime;
  const note = presenceNote(presence);
  const queuedOn = queuedRuntime(ticket);
  field(
    'runtime',
    rt
      ? [
          seg(`${rt.name ? `${one(rt.name)} (${one(rt.id)})` : one(rt.id)} on ${one(rt.host)}`),
          // Adoption is worth a second look: the ticket went to a runtime that was already busy.
          ...(rt.adopted ? [seg(' · adopted (it was busy)', 'warning')] : []),
          // Gone, exited or out of reach: the ticket keeps its state, and says what to do.
          ...(note ? [seg(` · ${note}`, 'error')] : []),
          ...(inputLeft.has(`${rt.host}:${rt.id}`) ? [seg(` · ${INPUT_NOTE}`, 'warning')] : []),
        ]
      : queuedOn
        ? [
            seg(
              queue
                ? `${queue}: delivered when it is idle`
                : `queued for ${one(queuedOn)} behind its ticket (see the timeline)`,
              'warning',
            ),
          ]
        : '-',
  );
  field('created', when(ticket.createdAt, nowMs));
  field('updated', when(ticket.updatedAt, nowMs));

  if (ticket.body.trim()) {
    heading('Issue');
    long(ticket.body);
  }
  if (ticket.suggestedFix?.trim()) {
    heading('Suggested fix');
    long(ticket.suggestedFix);
  }

  const error = ticket.lastError;
  if (error) {
    // In full and in the error colour: this is what the operator must act on, so nothing is cut.
    heading('Last send error', 'error');
    field('kind', one(error.kind), 'error');
    field('status', error.status === null ? 'none (no answer)' : String(error.status), 'error');
    field('host', one(error.host), 'error');
    field('message', sanitize(clipText(error.message, DETAIL_TEXT_MAX)).trim(), 'error');
    field('at', when(error.at, nowMs), 'error');
  }

  if (ticket.messages.length > 0) {
    heading(`Messages (${ticket.messages.length})`);
    for (const m of ticket.messages) {
      const tone = messageTone(m.state);
      const head = [
        seg(`${one(m.id)}  `, 'muted'),
        seg(one(m.state), tone, tone === 'muted' ? undefined : 'bold'),
        seg('  '),
      ];
      hanging(head, [seg(one(m.runtime))]);
      if (m.error) {
        // A message's error is shown whole, like the ticket's last error, in its state's colour.
        const errorTone = tone === 'muted' ? 'text' : tone;
        hanging(
          [seg('    ')],
          [seg(sanitize(clipText(m.error, DETAIL_TEXT_MAX)).trim(), errorTone)],
        );
      }
      // Its text may be the text left there: the operator's word settles the message.
      if (m.state === 'unknown' && inputLeft.has(m.runtime)) {
        hanging([seg('    ')], [seg(INPUT_NOTE, 'warning')]);
      }
    }
  }

  if (ticket.events.length > 0) {
    // Events are appended as they happen, so stored order is already oldest first, newest last.
    heading('Timeline');
    for (const e of ticket.events) {
      const head = [seg(`${one(e.at)}  `, 'muted'), seg(`${one(e.type)}  `, 'accent')];
      hanging(head, [seg(one(e.text))]);
    }
  }
  return out;
}

/** Splits styled text at its line breaks, so a multi-line value wraps line by line. */
function splitLines(pieces: DetailSegment[]): DetailSegment[][] {
  const lines: DetailSegment[][] = [[]];
  for (const piece of pieces) {
    piece.text.split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines[lines.length - 1]?.push({ ...piece, text: part });
    });
  }
  return lines;
}

/** The first line to show: never past the point where the last screenful starts. */
export function clampScroll(scroll: number, lineCount: number, height: number): number {
  return Math.max(0, Math.min(Math.floor(scroll), lineCount - Math.max(1, height)));
}

/** The theme colour of a piece: its tone, else what its Markdown style means. */
export function toneColour(theme: Theme, segment: DetailSegment): string | null {
  const tone: Tone =
    segment.tone ??
    (segment.style === 'code' ? 'accent' : segment.style === 'muted' ? 'muted' : 'text');
  if (tone.startsWith('severity.')) return theme.severity[tone.slice(9) as Severity];
  if (tone.startsWith('state.')) return theme.state[tone.slice(6) as TicketState];
  return theme[tone as 'text' | 'muted' | 'accent' | 'error' | 'warning' | 'success'];
}

interface Props {
  ticket: Ticket;
  width: number;
  /** Lines available; the view never renders more. */
  height: number;
  /** The first line shown; clamped, so callers may overshoot (e.g. G scrolls to the end). */
  scroll: number;
  nowMs: number;
}

export function TicketDetail({ ticket, width, height, scroll, nowMs }: Props) {
  const theme = useTheme();
  const runtimes = useAppStore((s) => s.runtimes);
  const hosts = useAppStore((s) => s.hosts);
  const tickets = useAppStore((s) => s.tickets);
  const ticketOrder = useAppStore((s) => s.ticketOrder);
  const presence = selectPresence({ runtimes, hosts }, ticket);
  const presenceKey = JSON.stringify(presence);
  const queue = selectQueue({ tickets, ticketOrder, runtimes }, ticket);
  const left = selectInputLeft({ runtimes });
  const leftKey = [...left].join(' ');
  // Ages are shown to the second, so the lines (costly for a long body) are rebuilt at most once
  // a second, not on every key press of the same second.
  const second = Math.floor(nowMs / 1000);
  // biome-ignore lint/correctness/useExhaustiveDependencies: presence and left are rebuilt each render; their text is the key.
  const lines = useMemo(
    () => detailLines(ticket, width, second * 1000, presence, queue, left),
    [ticket, width, second, presenceKey, queue, leftKey],
  );
  const first = clampScroll(scroll, lines.length, height);
  const visible = lines.slice(first, first + Math.max(0, height));
  return (
    <Box flexDirection="column">
      {visible.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are screen positions; none reorder.
        <Text key={i} wrap="truncate">
          {line.segments.length === 0
            ? ' '
            : truncateLine(line.segments, width).map((s, j) => (
                <Text
                  // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one fixed line.
                  key={j}
                  color={toneColour(theme, s) ?? undefined}
                  bold={s.style === 'bold'}
                >
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
