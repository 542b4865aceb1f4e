import { isShellProgram, ownPaneRefusal, sanitizeLine, shellRefusal } from '../../domain/index.js';
import { OwnPaneFinder, type OwnPanes } from './own-panes.js';
import type { PaneRow } from './runtime-rows.js';
import { type TmuxClient, target } from './tmux-client.js';

type Command = (args: readonly string[]) => Promise<string[]>;

/**
 * Which panes a prompt may be typed into, asked at send time (a profile's name says nothing of
 * what runs in the pane now): never the control room's own pane, never a shell.
 */
export class SendGuard {
  private readonly own: OwnPaneFinder;

  constructor(
    tmux: TmuxClient,
    env: NodeJS.ProcessEnv,
    private readonly command: Command,
  ) {
    this.own = new OwnPaneFinder(tmux, env, command);
  }

  /** The control room's panes and runtimes on this server (none when it runs elsewhere). */
  ownPanes(): Promise<OwnPanes> {
    return this.own.find();
  }

  /** Why nothing may be typed into the row's pane, or null when a prompt may go there. */
  async refusal(row: PaneRow): Promise<string | null> {
    const own = await this.own.find();
    if (own.panes.has(row.paneId) || own.session === row.sessionId) {
      return ownPaneRefusal(row.sessionName);
    }
    const [program = ''] = await this.command([
      'display-message',
      '-p',
      '-t',
      target.pane(row.paneId),
      '#{pane_current_command}',
    ]);
    return isShellProgram(program) ? shellRefusal(row.sessionName, sanitizeLine(program)) : null;
  }
}
