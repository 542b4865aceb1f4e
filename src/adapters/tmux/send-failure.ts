import type { SendError } from '../../domain/index.js';
import { TmuxError } from './tmux-client.js';

/**
 * A tmux failure during a send, in the send table's words: a pane or server gone is
 * `not_found`; a timeout once the text may have been typed (`typed`) is an unknown outcome.
 */
export function classifyTmuxFailure(error: unknown, typed: boolean, host: string): SendError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TmuxError) {
    if (error.problem === 'not_found' || error.problem === 'no_server') {
      return { kind: 'not_found', host, status: null, message };
    }
    if (error.problem === 'timeout') {
      return { kind: 'timeout', host, status: null, message, bodySent: typed };
    }
  }
  return { kind: 'server', host, status: null, message };
}
