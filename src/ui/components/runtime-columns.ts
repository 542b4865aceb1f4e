import { cutToWidth, displayWidth } from '../../domain/display-width.js';
import { INPUT_NOT_EMPTY, inputLeft, sanitizeLine } from '../../domain/index.js';
import { maxOf } from '../../domain/lists.js';
import type { RuntimeView } from '../../store/selectors.js';
import { graphemes } from './styled-text.js';
import { GUTTER, shortAge } from './ticket-columns.js';

/** Columns of the runtimes table, in display order; fixed ones drop by priority when narrow. */
export type RuntimeColumnId =
  | 'name'
  | 'host'
  | 'profile'
  | 'state'
  | 'ticket'
  | 'folder'
  | 'uptime'
  | 'lastActivity'
  | 'sparkline';

export interface RuntimeColumn {
  id: RuntimeColumnId;
  title: string;
  width: number;
  /** Lower drops first; the folder is never dropped, it takes whatever width is left. */
  priority: number;
}

/** The sparkline is as wide as the default activity history (12 buckets). */
export const SPARKLINE_WIDTH = 12;

const FIXED: readonly RuntimeColumn[] = [
  { id: 'name', title: 'NAME', width: 14, priority: 10 },
  { id: 'host', title: 'HOST', width: 10, priority: 6 },
  { id: 'profile', title: 'PROFILE', width: 8, priority: 4 },
  // Wide enough for "input not empty", the longest state and one that must never be cut.
  { id: 'state', title: 'STATE', width: 15, priority: 9 },
  { id: 'ticket', title: 'TICKET', width: 10, priority: 7 },
  { id: 'uptime', title: 'UP', width: 5, priority: 2 },
  { id: 'lastActivity', title: 'LAST', width: 5, priority: 5 },
  { id: 'sparkline', title: 'ACTIVITY', width: SPARKLINE_WIDTH, priority: 3 },
];

/** Below this a shortened path says too little to be worth the columns it would cost. */
const MIN_FOLDER = 16;
/** The folder's least when the ticket column needs the room (a binding read in full). */
const MIN_FOLDER_TIGHT = 10;

/**
 * Fixed columns that fit beside a folder of at least MIN_FOLDER; the folder takes the rest.
 * Columns are separated by one space, so gutter + widths + separators is exactly `totalWidth`.
 */
export function layoutRuntimeColumns(totalWidth: number, ticketWant = 0): RuntimeColumn[] {
  // The selection gutter is the ticket list's, so the mark lines up across the two views.
  const available = totalWidth - GUTTER.length;
  let fixed = [...FIXED];
  const used = (cols: RuntimeColumn[]) => cols.reduce((sum, c) => sum + c.width + 1, 0);
  while (fixed.length > 1 && available - used(fixed) < MIN_FOLDER) {
    const lowest = fixed.reduce((a, b) => (b.priority < a.priority ? b : a));
    fixed = fixed.filter((c) => c !== lowest);
  }
  // The ticket column grows to its widest cell (an adopted or queued binding read in full):
  // from the folder's room down to a tighter minimum, then by dropping what says less than the
  // host (the times, the sparkline, the profile).
  const ticket = fixed.find((c) => c.id === 'ticket');
  if (ticket && ticketWant > ticket.width) {
    const room = () => Math.max(0, available - used(fixed) - MIN_FOLDER_TIGHT);
    const hostPriority = FIXED.find((c) => c.id === 'host')?.priority ?? 0;
    while (room() < ticketWant - ticket.width) {
      const lowest = fixed.reduce((a, b) => (b.priority < a.priority ? b : a));
      if (lowest.priority >= hostPriority) break;
      fixed = fixed.filter((c) => c !== lowest);
    }
    const grown = { ...ticket, width: ticket.width + Math.min(room(), ticketWant - ticket.width) };
    fixed = fixed.map((c) => (c === ticket ? grown : c));
  }
  const folder: RuntimeColumn = {
    id: 'folder',
    title: 'FOLDER',
    width: Math.max(1, available - used(fixed)),
    priority: Number.POSITIVE_INFINITY,
  };
  // The folder sits after the ticket, as the operator reads "who, what, where, how lately".
  const at = fixed.findIndex(
    (c) => c.id === 'uptime' || c.id === 'lastActivity' || c.id === 'sparkline',
  );
  return at === -1 ? [...fixed, folder] : [...fixed.slice(0, at), folder, ...fixed.slice(at)];
}

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** The spinner glyph for a frame number the caller advances; any integer (even negative) works. */
export function spinnerGlyph(frame: number): string {
  const n = SPINNER_FRAMES.length;
  const i = Number.isFinite(frame) ? ((Math.floor(frame) % n) + n) % n : 0;
  return SPINNER_FRAMES[i] ?? SPINNER_FRAMES[0];
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` samples as bars, newest on the right, scaled so the largest is a full bar.
 * A bucket with no activity is the lowest bar and any activity at least the second, so a quiet
 * runtime still shows a baseline; buckets with no sample yet are blank.
 */
export function sparkline(samples: readonly number[], width: number): string {
  if (width <= 0) return '';
  const shown = samples.slice(-width).map((s) => (Number.isFinite(s) && s > 0 ? s : 0));
  const max = maxOf(shown, 0);
  const bars = shown.map((s) => {
    if (s === 0 || max === 0) return BARS[0];
    const level = Math.max(1, Math.round((s / max) * (BARS.length - 1)));
    return BARS[level];
  });
  return ' '.repeat(width - shown.length) + bars.join('');
}

/**
 * A working folder in at most `width` columns: the home folder as "~", then, if still too wide,
 * the middle elided with "…" — the end (the project's own folder) says the most, so it keeps
 * two thirds. Sanitised here too, so no caller can forget and widths are measured on safe text.
 */
export function shortenPath(path: string, width: number, home: string | null | undefined): string {
  if (width <= 0) return '';
  let text = sanitizeLine(path);
  const base = home ? sanitizeLine(home).replace(/\/+$/, '') : '';
  // A home of "/" would turn every path into "~…", which hides more than it saves.
  if (base && (text === base || text.startsWith(`${base}/`))) text = `~${text.slice(base.length)}`;
  if (displayWidth(text) <= width) return text;
  if (width === 1) return '…';
  const room = width - 1;
  const [head] = cutToWidth(text, Math.floor(room / 3));
  const tail = lastColumns(text, room - displayWidth(head));
  return `${head}…${tail}`;
}

/** The longest suffix of `text` no wider than `columns`, never splitting a grapheme. */
function lastColumns(text: string, columns: number): string {
  const parts = [...graphemes.segment(text)].map((s) => s.segment);
  let out = '';
  let used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] ?? '';
    const w = displayWidth(part);
    if (used + w > columns) break;
    out = part + out;
    used += w;
  }
  return out;
}

/** How the state cell reads to the eye; the view maps each tone to a theme token. */
export type RuntimeStateTone = 'busy' | 'attention' | 'ended' | 'ready' | 'failing' | 'plain';

export function runtimeStateTone(
  view: Pick<RuntimeView, 'state' | 'gone'> & Partial<Pick<RuntimeView, 'hostFailure' | 'input'>>,
): RuntimeStateTone {
  if (view.hostFailure) return 'failing';
  if (view.gone || view.state === 'exited') return 'ended';
  if (view.state === 'busy') return 'busy';
  // Text left in the input line waits for the operator's word, as a question does.
  if (view.state === 'needs_input' || inputLeft(view)) return 'attention';
  if (view.state === 'idle') return 'ready';
  return 'plain';
}

export interface CellExtras {
  /** The operator's home folder, shown as "~" in local runtimes' folders. */
  home?: string | null;
  /** Activity counts per time bucket, oldest first, for the sparkline. */
  samples?: readonly number[];
  recording?: boolean;
}

/**
 * One cell's text, sanitised and (for the folder and sparkline) already fitted to the column.
 * The spinner frame is passed in, never timed here, so a frame is a pure function of its inputs.
 */
export function runtimeCell(
  view: RuntimeView,
  column: Pick<RuntimeColumn, 'id' | 'width'>,
  nowMs: number,
  spinnerFrame: number,
  extras: CellExtras = {},
): string {
  switch (column.id) {
    case 'name':
      // A runtime being recorded says so where the eye reads its name.
      return `${extras.recording ? '● ' : ''}${sanitizeLine(view.name || view.id)}`;
    case 'host':
      return sanitizeLine(view.host);
    case 'profile':
      return sanitizeLine(view.profile ?? '-');
    case 'state':
      return stateText(view, spinnerFrame);
    case 'ticket':
      return ticketText(view);
    case 'folder':
      // A failing host's runtime: what failed says more than where it was.
      if (view.hostFailure !== null) {
        const [cut] = cutToWidth(
          `${sanitizeLine(view.host)} fails: ${sanitizeLine(view.hostFailure)}`,
          column.width,
        );
        return cut;
      }
      // Another host's home is not ours: only a local path may be abbreviated to "~".
      return shortenPath(view.cwd, column.width, view.host === 'local' ? extras.home : null);
    case 'uptime':
      // A runtime that is over has no uptime; its age would keep growing and mislead.
      return view.gone || view.state === 'exited' ? '-' : shortAge(view.createdAt, nowMs);
    case 'lastActivity':
      return shortAge(view.lastActivityAt, nowMs);
    case 'sparkline':
      return sparkline(extras.samples ?? [], column.width);
  }
}

/** The ticket it works on (`· adopted` when a busy answer bound it), then those queued. */
export function ticketText(view: Pick<RuntimeView, 'ticketKey' | 'adopted' | 'queued'>): string {
  const bound = view.ticketKey ? sanitizeLine(view.ticketKey) : '-';
  const adopted = view.ticketKey && view.adopted ? `${bound} · adopted` : bound;
  return view.queued.length === 0
    ? adopted
    : `${adopted} → ${view.queued.map((k) => sanitizeLine(k)).join(', ')}`;
}

function stateText(
  view: Pick<RuntimeView, 'state' | 'gone' | 'hostFailure' | 'input'>,
  spinnerFrame: number,
): string {
  // Gone wins: its host no longer lists it, so its last state is history, not news.
  if (view.gone) return 'gone';
  // Its last state is what the host said before it stopped answering: not to be trusted.
  if (view.hostFailure !== null) return '✗ host fails';
  if (inputLeft(view)) return INPUT_NOT_EMPTY;
  switch (view.state) {
    case 'busy':
      return `${spinnerGlyph(spinnerFrame)} busy`;
    case 'needs_input':
      // A mark as well as a colour, so it stands out under NO_COLOR too.
      return '! needs input';
    default:
      return view.state;
  }
}
