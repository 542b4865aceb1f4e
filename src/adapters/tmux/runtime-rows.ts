import type { Runtime, RuntimeInput, RuntimeState } from '../../domain/index.js';
import { FIELD_SEPARATOR, rowFields, textField, textValue } from './format-fields.js';

/**
 * The runtime list in one `list-panes -a` call: one row per pane. The text fields are escaped by
 * tmux (format-fields.ts), so no session name, option or folder can forge a field or a row.
 */
const FIELDS = [
  '#{session_id}',
  textField('session_name'),
  '#{session_created}',
  '#{window_active}',
  '#{pane_active}',
  '#{pane_id}',
  '#{pane_dead}',
  textField('@cr_profile'),
  textField('@cr_ticket'),
  textField('@agent_state'),
  '#{window_activity}',
] as const;

export const PANE_FORMAT = FIELDS.join(FIELD_SEPARATOR);

/**
 * The fields tmux reads from /proc for each pane: they cost ten times the rest (13 ms against
 * 1 ms for 200 panes), so they are asked per pane, and only when its output moved or it is new.
 * The pane id last: a line reader drops a trailing `\r`, which a folder may end with.
 */
export const PANE_DETAIL_FORMAT = [
  textField('pane_current_command'),
  textField('pane_current_path'),
  '#{pane_id}',
].join(FIELD_SEPARATOR);

export function parsePaneDetail(line: string): { currentCommand: string; currentPath: string } {
  const [command, path] = rowFields(line, 3) ?? ['', ''];
  return { currentCommand: textValue(command as string), currentPath: textValue(path as string) };
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
    const f = rowFields(line, FIELDS.length);
    if (f === null || f[3] !== '1' || f[4] !== '1') continue;
    const [sessionId, paneId] = [f[0] as string, f[5] as string];
    if (!/^\$\d+$/.test(sessionId) || !/^%\d+$/.test(paneId)) continue;
    const text = (i: number) => textValue(f[i] as string);
    const optional = (i: number) => (f[i] === '' ? null : text(i));
    rows.push({
      sessionId,
      sessionName: text(1),
      sessionCreated: Number(f[2]),
      paneId,
      paneDead: f[6] === '1',
      currentCommand: '',
      currentPath: '',
      profile: optional(7),
      ticket: optional(8),
      hookState: text(9),
      outputActivity: Number(f[10]),
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
