import { ControlConnection } from './control-connection.js';
import type { TmuxClient } from './tmux-client.js';

export { type Notification, spawnControlMode } from './control-connection.js';
export { commandLine, quoteArg } from './control-protocol.js';

/**
 * One long-lived `tmux -C` connection. Commands over it cost ~0.4 ms instead of a process each.
 * Emits `notification` for every `%…` line outside a command's answer, and `exit` once (tmux's
 * `%exit`, the server gone, or close()).
 */
export class ControlClient extends ControlConnection {
  /**
   * Attaches to a session with `no-output,ignore-size`: it never receives pane output (so it
   * cannot throttle an agent) and never changes a window's size.
   */
  static connect(
    tmux: TmuxClient,
    session: string,
    options: { timeoutMs?: number } = {},
  ): Promise<ControlClient> {
    return new ControlClient(tmux, session, 'no-output,ignore-size').ready(options.timeoutMs);
  }
}
