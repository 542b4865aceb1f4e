import type { ControlConnection } from './control-connection.js';
import { parseRuntimeId } from './runtime-rows.js';

/** The session a runtime lives in, as a control client attaches to it. */
export interface PaneTarget {
  /** What `attach-session -t` takes: a session id (`$3`) or an exact name (`=name`). */
  session: string;
  /** The creation time (Unix seconds) a runtime id carries: a reused session id is not it. */
  created: number | null;
}

/**
 * The session a runtime id names: `rt_<n>_<created>` (runtime-rows.ts) is session `$n`, checked
 * against its creation time once attached; a bare session id (`$3`) or name is taken as it is.
 */
export function runtimeTarget(id: string): PaneTarget | null {
  const parsed = parseRuntimeId(id);
  if (parsed) return { session: parsed.sessionId, created: parsed.created };
  if (/^\$\d+$/.test(id)) return { session: id, created: null };
  // A name is matched exactly (`=`): a plain one is a prefix match in tmux.
  if (/^[^\s:.=$][^\n\r:.]*$/.test(id)) return { session: `=${id}`, created: null };
  return null;
}

/** What a resolved target is: its session id and the pane the runtime runs in. */
export async function resolvePane(
  connection: ControlConnection,
  target: PaneTarget,
): Promise<{ sessionId: string; pane: string } | null> {
  // No -t: the control client's own session, the one just attached (a pane target cannot be
  // written `=name`, and this needs no second lookup).
  const [line = ''] = await connection.command([
    'display-message',
    '-p',
    '#{session_id} #{session_created} #{pane_id}',
  ]);
  const [sessionId = '', created = '', pane = ''] = line.split(' ');
  if (!/^%\d+$/.test(pane)) return null;
  if (target.created !== null && Number(created) !== target.created) return null;
  return { sessionId, pane };
}
