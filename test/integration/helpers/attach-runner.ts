/**
 * The attach half of the control room on its own, for attach-pty.test.ts: attaches this
 * process's terminal (the test's outer pty) to a session of a private tmux server.
 *
 *   node --import tsx attach-runner.ts SOCKET SESSION [KEY] [DETACH]
 *
 * KEY is a detach key spec (ctrl-] by default). DETACH is how the client is let go: `tmux`
 * (localDetach, the default), `ignore` (a detach that does nothing: the hang-up fallback) or
 * `hangup` (no detach function, as for SSH). When the attach ends it prints one line,
 * `ATTACH-RESULT {json}`, and exits by itself: a listener left on stdin would keep it running.
 */
import { runAttach } from '../../../src/adapters/pty/attach.js';
import { parseDetachKey } from '../../../src/adapters/pty/detach-key.js';
import { localAttachCommand, localDetach } from '../../../src/adapters/pty/tmux-attach.js';
import { TmuxClient } from '../../../src/adapters/tmux/tmux-client.js';

export interface RunnerResult {
  how: 'detached' | 'exited';
  exitCode: number;
  /** Whether stdin was left in raw mode (it was not before). */
  rawAfter: boolean;
  /** Milliseconds from the start of the attach to its end. */
  ms: number;
}

const [socket, session, keySpec = 'ctrl-]', mode = 'tmux'] = process.argv.slice(2);
if (!socket || !session) {
  process.stderr.write('usage: attach-runner.ts SOCKET SESSION [KEY] [tmux|ignore|hangup]\n');
  process.exit(2);
}

const tmux = new TmuxClient({ socketName: socket });
const detach =
  mode === 'tmux'
    ? { detach: (pty: Parameters<typeof localDetach>[1]) => localDetach(tmux, pty) }
    : mode === 'ignore'
      ? { detach: async () => {} }
      : {};
const started = Date.now();
const result = await runAttach({
  command: localAttachCommand(tmux, session),
  stdin: process.stdin,
  stdout: process.stdout,
  detachKey: parseDetachKey(keySpec),
  ...detach,
});
const report: RunnerResult = {
  ...result,
  rawAfter: process.stdin.isRaw,
  ms: Date.now() - started,
};
process.stdout.write(`\r\nATTACH-RESULT ${JSON.stringify(report)}\r\n`);
