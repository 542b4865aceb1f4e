import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  commandLine,
  decodeOutput,
  LineSplitter,
  outputPane,
  parseGuard,
} from './control-protocol.js';
import { processArg } from './tmux-args.js';
import { type TmuxClient, TmuxError } from './tmux-client.js';

/**
 * A `tmux -C attach-session` process on `session` with the given client flags, its stdout for
 * the caller to read, and what it said on stderr so far (tmux's own words when it fails).
 */
export function spawnControlMode(
  tmux: TmuxClient,
  session: string,
  flags: string,
): { child: ChildProcessWithoutNullStreams; stderr: () => string } {
  // node:child_process, not execa: a long-lived pipe needs none of execa's conveniences, and the
  // control room's first frame should not wait for execa to load (~50 ms).
  const child = spawn(
    tmux.program,
    [...tmux.serverArgs(), '-C', 'attach-session', '-f', flags, '-t', processArg(session)],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TMUX: '' } },
  );
  let said = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    said += chunk.toString();
  });
  // A write racing tmux's exit fails with EPIPE; the exit itself is reported, not this.
  child.stdin?.on('error', () => {});
  return { child, stderr: () => said };
}

export interface Notification {
  name: string;
  args: string[];
  line: string;
}

interface Pending {
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | null;
}

/**
 * One `tmux -C` connection that carries both command answers and pane output. Its stdout is
 * read as bytes and always promptly (a client that stops reading can throttle the agent). Emits:
 * - `output` (pane, bytes): pane output, decoded; only while someone listens for it;
 * - `activity` (pane): pane output arrived, not decoded (for watchers that re-read the screen);
 * - `notification` (Notification): every other `%…` line outside a command's answer;
 * - `exit` (reason), once: tmux's `%exit`, the session or server gone, or close().
 */
export class ControlConnection extends EventEmitter {
  private readonly pending: Pending[] = [];
  private block: { key: string; lines: string[] } | null = null;
  private attach: Pending | null;
  private exited = false;
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly stderr: () => string;
  private readonly attached: Promise<string[]>;

  constructor(tmux: TmuxClient, session: string, flags: string) {
    super();
    const { child, stderr } = spawnControlMode(tmux, session, flags);
    this.process = child;
    this.stderr = stderr;
    let attach: Pending | null = null;
    // tmux answers the attach command first; the connection is usable after that.
    this.attached = new Promise((resolve, reject) => {
      attach = { resolve, reject, timer: null };
    });
    this.attached.catch(() => {});
    this.attach = attach;
    this.listen();
  }

  /** Resolves once tmux has answered the attach; rejects (and closes) when it did not. */
  async ready(timeoutMs = 5000): Promise<this> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.close();
        reject(new TmuxError('timeout', 'tmux control mode did not answer'));
      }, timeoutMs);
    });
    try {
      await Promise.race([this.attached, timeout]);
      return this;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs one command over the connection; resolves with its output lines. */
  command(args: readonly string[], timeoutMs = 5000): Promise<string[]> {
    if (this.exited)
      return Promise.reject(new TmuxError('no_server', 'the tmux connection is closed'));
    return new Promise((resolve, reject) => {
      // A command that timed out stays queued: its late answer must still be matched to it.
      const timer = setTimeout(() => {
        reject(new TmuxError('timeout', `tmux ${args[0]} did not answer over control mode`));
      }, timeoutMs);
      this.pending.push({ resolve, reject, timer });
      this.process.stdin?.write(`${commandLine(args)}\n`);
    });
  }

  get closed(): boolean {
    return this.exited;
  }

  close(): void {
    if (this.exited) return;
    this.process.stdin?.end();
    this.process.kill();
  }

  private listen(): void {
    const lines = new LineSplitter((line) => this.onLine(line));
    this.process.stdout?.on('data', (chunk: Buffer) => lines.push(chunk));
    this.process.once('close', (code, signal) =>
      this.finish(`tmux exited (${code ?? signal ?? 'gone'})`),
    );
    // Could not start at all (no tmux on the PATH): the same end, with the reason.
    this.process.once('error', (error) => this.finish(`tmux could not start: ${error.message}`));
  }

  private onLine(line: Buffer): void {
    if (this.block) {
      // Answers are text (tmux keeps its grid UTF-8); only the exact closing guard ends one.
      const text = line.toString('utf8');
      const guard = text.startsWith('%') ? parseGuard(text) : null;
      if (guard && guard.kind !== 'begin' && guard.key === this.block.key) {
        const { lines } = this.block;
        this.block = null;
        this.settle(
          guard.kind === 'end' ? null : lines.join('\n') || 'tmux reported an error',
          lines,
        );
      } else {
        this.block.lines.push(text);
      }
      return;
    }
    if (line[0] !== 0x25) return;
    const output = outputPane(line);
    if (output) {
      this.emit('activity', output.pane);
      if (this.listenerCount('output') > 0)
        this.emit('output', output.pane, decodeOutput(output.data));
      return;
    }
    const text = line.toString('utf8');
    const guard = parseGuard(text);
    if (guard?.kind === 'begin') {
      this.block = { key: guard.key, lines: [] };
      return;
    }
    const [name = '', ...args] = text.slice(1).split(' ');
    if (name === 'exit') {
      this.finish(args.join(' ') || 'detached');
      return;
    }
    this.emit('notification', { name, args, line: text } satisfies Notification);
  }

  private settle(error: string | null, lines: string[]): void {
    const attach = this.attach;
    if (attach) {
      this.attach = null;
      if (error === null) attach.resolve(lines);
      else attach.reject(new TmuxError('failed', `tmux control mode: ${error}`));
      return;
    }
    const pending = this.pending.shift();
    if (!pending) return;
    if (pending.timer) clearTimeout(pending.timer);
    if (error === null) pending.resolve(lines);
    else pending.reject(new TmuxError(/can't find/i.test(error) ? 'not_found' : 'failed', error));
  }

  private finish(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    if (this.attach) {
      const words = this.stderr().trim() || reason;
      const problem = /no server|error connecting/i.test(words)
        ? 'no_server'
        : /can't find|no such session/i.test(words)
          ? 'not_found'
          : 'failed';
      this.attach.reject(new TmuxError(problem, `tmux control mode: ${words}`, this.stderr()));
      this.attach = null;
    }
    for (const pending of this.pending.splice(0)) {
      if (pending.timer) clearTimeout(pending.timer);
      pending.reject(new TmuxError('no_server', `the tmux connection closed: ${reason}`));
    }
    this.process.stdin?.end();
    this.emit('exit', reason);
  }
}
