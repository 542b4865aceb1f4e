import { ControlConnection } from './control-connection.js';
import type { TmuxClient } from './tmux-client.js';

export { decodeOutput, parseOutputLine } from './control-protocol.js';

/**
 * One `tmux -C attach-session -f ignore-size,read-only` to a session, WITH pane output: it emits
 * `output` (pane id, raw bytes) for every `%output`/`%extended-output`, and `exit` once (tmux's
 * `%exit`, the session or server gone, or close()). Its stdout is read as bytes, never as text,
 * and always promptly: a listener that falls behind is the caller's to drop, never tmux's.
 */
export class OutputClient extends ControlConnection {
  static connect(
    tmux: TmuxClient,
    sessionId: string,
    options: { timeoutMs?: number } = {},
  ): Promise<OutputClient> {
    return new OutputClient(tmux, sessionId, 'ignore-size,read-only').ready(options.timeoutMs);
  }
}
