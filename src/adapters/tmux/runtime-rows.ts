import type { Runtime, RuntimeInput, RuntimeState } from '../../domain/index.js';

/**
 * The runtime list in one `list-panes -a` call: one row per pane, fields joined by a separator
 * no session name or path is expected to hold (a row that splits wrong is dropped, not misread).
 */
const SEPARATOR = '\u241f';

const FIELDS = [
  'session_id',
  'session_name',
  'session_created',
  'window_active',
  'pane_active',
  'pane_id',
  'pane_dead',
  '@cr_profile',
  '@cr_ticket',
  '@agent_state',
  'window_activity',
] as const;

export const PANE_FORMAT = FIELDS.map((f) => `#{${f}}`).join(SEPARATOR);

/**
 * The fields tmux reads from /proc for each pane: they cost ten times the rest (13 ms against
 * 1 ms for 200 panes), so they are asked per pane, and only when its output moved or it is new.
 */
export const PANE_DETAIL_FORMAT = ['#{pane_current_command}', '#{pane_current_path}'].join(
  SEPARATOR,
);

export function parsePaneDetail(line: string): { currentCommand: string; currentPath: string } {
  const [currentCommand = '', currentPath = ''] = line.split(SEPARATOR);
  return { currentCommand, currentPath };
}

export interface PaneRow {
  sessionId: string;
  sessionName: string;
  /** Unix seconds. */
  sessionCreated: number;
  paneId: string;
  paneDead: boolean;
  currentCommand: string;
  currentPath: string;
  profile: string | null;
  ticket: string | null;
  hookState: string;
  /** Unix seconds of the window's last output: what moves when an agent prints. */
  outputActivity: number;
}

/**
 * The active pane of each session's active window: the session's runtime pane. Its command and
 * folder are left empty here (see PANE_DETAIL_FORMAT).
 */
export function parsePaneRows(lines: readonly string[]): PaneRow[] {
  const rows: PaneRow[] = [];
  for (const line of lines) {
    const f = line.split(SEPARATOR);
    if (f.length !== FIELDS.length) continue;
    if (f[3] !== '1' || f[4] !== '1') continue;
    const text = (i: number) => f[i] as string;
    const optional = (i: number) => (text(i) === '' ? null : text(i));
    rows.push({
      sessionId: text(0),
      sessionName: text(1),
      sessionCreated: Number(text(2)),
      paneId: text(5),
      paneDead: text(6) === '1',
      currentCommand: '',
      currentPath: '',
      profile: optional(7),
      ticket: optional(8),
      hookState: text(9),
      outputActivity: Number(text(10)),
    });
  }
  return rows;
}

/**
 * A runtime id stable for the life of its session and not reused when the server restarts
 * (tmux numbers sessions from $0 again): the session number and its creation time.
 */
export function runtimeId(row: Pick<PaneRow, 'sessionId' | 'sessionCreated'>): string {
  return `rt_${row.sessionId.replace('$', '')}_${row.sessionCreated.toString(36)}`;
}

export function parseRuntimeId(id: string): { sessionId: string; created: number } | null {
  const match = /^rt_(\d+)_([0-9a-z]+)$/.exec(id);
  if (!match) return null;
  return { sessionId: `$${match[1]}`, created: Number.parseInt(match[2] as string, 36) };
}

/** A session's runtime as `runtime-api.md` describes it. */
export function runtimeOf(
  row: PaneRow,
  state: RuntimeState,
  input: RuntimeInput = 'unknown',
): Runtime {
  return {
    id: runtimeId(row),
    name: row.sessionName,
    profile: row.profile,
    cwd: row.currentPath,
    state,
    ticket: row.ticket,
    createdAt: isoFromUnix(row.sessionCreated),
    lastActivityAt: isoFromUnix(row.outputActivity),
    command: row.currentCommand,
    input,
  };
}

export function isoFromUnix(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}
