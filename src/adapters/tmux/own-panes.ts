import { insideSameTmuxServer } from '../pty/tmux-attach.js';
import { runtimeId } from './runtime-rows.js';
import type { TmuxClient } from './tmux-client.js';

/** Runs one tmux command on the driver's server; resolves with its output lines. */
type Command = (args: readonly string[]) => Promise<string[]>;

/** The panes a ticket must never be typed into, because they are, or show, the control room. */
export interface OwnPanes {
  /** The control room's pane, and every pane running a tmux client that shows its session. */
  panes: ReadonlySet<string>;
  /** The control room's own session (`$3`): its runtime is the control room or sits beside it. */
  session: string | null;
  /** The runtime ids of the sessions above, and of sessions whose runtime pane is one of them. */
  runtimes: ReadonlySet<string>;
}

const NONE: OwnPanes = { panes: new Set(), session: null, runtimes: new Set() };
const TAB = '\t';

/**
 * Where the control room is on the server `tmux` talks to. `$TMUX` is `SOCKET,PID,SESSION` of
 * the server the control room's pane belongs to: only when that socket is this client's is
 * `$TMUX_PANE` (`%5`) a pane here (pane ids are per server: `%5` elsewhere is someone else).
 * A tmux client attached to the control room's session from inside a pane of this server (a
 * nested `tmux attach`) makes that pane show the control room too: its tty is the client's.
 */
export class OwnPaneFinder {
  private same: Promise<boolean> | null = null;

  constructor(
    private readonly tmux: TmuxClient,
    private readonly env: NodeJS.ProcessEnv,
    private readonly command: Command,
  ) {}

  async find(): Promise<OwnPanes> {
    const pane = this.env.TMUX_PANE ?? '';
    if (!/^%\d+$/.test(pane)) return NONE;
    this.same ??= insideSameTmuxServer(this.env, this.tmux).catch(() => false);
    if (!(await this.same)) return NONE;
    const format = ['#{pane_id}', '#{pane_tty}', '#{session_id}', '#{session_created}'];
    const rows = (await this.command(['list-panes', '-a', '-F', format.join(TAB)]))
      .map((line) => line.split(TAB))
      .filter((f) => f.length === 4)
      .map(([id = '', tty = '', session = '', created = '']) => ({ id, tty, session, created }));
    const own = rows.find((r) => r.id === pane);
    if (!own) return NONE;
    const clients = (await this.command(['list-clients', '-F', `#{client_tty}${TAB}#{session_id}`]))
      .map((line) => line.split(TAB))
      .map(([tty = '', session = '']) => ({ tty, session }));
    const panes = new Set([own.id]);
    // Sessions whose clients lead to the control room: its own, then those of nesting panes.
    const leading = new Set([own.session]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const client of clients) {
        if (!leading.has(client.session)) continue;
        for (const row of rows) {
          if (row.tty !== client.tty || panes.has(row.id)) continue;
          panes.add(row.id);
          leading.add(row.session);
          grew = true;
        }
      }
    }
    const runtimes = new Set<string>();
    for (const row of rows) {
      if (row.session === own.session || panes.has(row.id)) {
        runtimes.add(runtimeId({ sessionId: row.session, sessionCreated: Number(row.created) }));
      }
    }
    return { panes, session: own.session, runtimes };
  }
}
