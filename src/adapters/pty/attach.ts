import pty from '@lydell/node-pty';
import type { AttachCommand } from '../../domain/live.js';
import { type DetachKey, findDetachKey } from './detach-key.js';
import { RESTORE_TERMINAL } from './terminal-modes.js';

/** The attach program's pty, as a detach needs it. */
export interface AttachedPty {
  /** The pid of the program in the pty (the tmux client itself: node-pty execs it directly). */
  pid: number;
  /** The pty's device (`/dev/pts/7`): the tmux client's `client_tty`; absent if node-pty hid it. */
  tty: string | undefined;
}

export interface AttachOptions {
  command: AttachCommand;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  detachKey: DetachKey;
  /**
   * Asks the attached program to let go (`tmux detach-client`: localDetach). Without one (an SSH
   * attach, where the client is on another machine) the pty is hung up, which ends the remote
   * client and leaves its session running.
   */
  detach?: (pty: AttachedPty) => Promise<void>;
  /** The environment the program starts from, before `command.unsetEnv`; process.env otherwise. */
  env?: NodeJS.ProcessEnv;
  /** How long after the detach the program may take to exit before it is hung up. */
  killAfterMs?: number;
}

export interface AttachResult {
  /** detached: the operator pressed the detach key; exited: the program ended by itself. */
  how: 'detached' | 'exited';
  exitCode: number;
}

/** A program that ignores its hang-up is killed this long after it. */
const FORCE_KILL_AFTER_MS = 2000;

function childEnv(command: AttachCommand, env: NodeJS.ProcessEnv): Record<string, string> {
  const unset = new Set(command.unsetEnv);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !unset.has(name)) result[name] = value;
  }
  return result;
}

/**
 * Runs the attach program in a pty on the operator's terminal until it ends or the operator
 * presses the detach key. Input is forwarded raw except the key (bytes before it in the same
 * chunk go through; bytes after it are dropped, they were typed at a program that is leaving).
 * The caller unmounts Ink first and renders again after; this restores the terminal modes the
 * program may have left on, and the input stream's raw mode and flow as they were.
 */
export function runAttach(options: AttachOptions): Promise<AttachResult> {
  const { command, stdin, stdout, detachKey } = options;
  const env = childEnv(command, options.env ?? process.env);
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  const wasFlowing = stdin.readableFlowing === true;

  const term = pty.spawn(command.file, command.args, {
    name: env.TERM ?? 'xterm-256color',
    cols: stdout.columns || 80,
    rows: stdout.rows || 24,
    cwd: process.cwd(),
    env,
    // Bytes in and out: a decoder would split or mangle escape sequences and UTF-8.
    encoding: null,
  });
  const attached: AttachedPty = {
    pid: term.pid,
    // UnixTerminal keeps the slave's path (`ptsName`); it is not in node-pty's types.
    tty: (term as unknown as { ptsName?: unknown }).ptsName as string | undefined,
  };

  return new Promise<AttachResult>((resolve) => {
    let detaching = false;
    const timers: NodeJS.Timeout[] = [];

    const hangUp = (signal: string) => {
      try {
        term.kill(signal);
      } catch {
        // Already gone: its exit is on its way.
      }
    };

    const startDetach = () => {
      if (detaching) return;
      detaching = true;
      const ask = options.detach ? options.detach(attached) : Promise.resolve();
      ask.catch(() => {
        // Not attached yet, or tmux refused: the hang-up below ends it all the same.
      });
      const killAfter = options.detach ? (options.killAfterMs ?? 1000) : 0;
      timers.push(setTimeout(() => hangUp('SIGHUP'), killAfter));
      timers.push(setTimeout(() => hangUp('SIGKILL'), killAfter + FORCE_KILL_AFTER_MS));
    };

    const onInput = (data: Buffer | string) => {
      if (detaching) return;
      const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const found = findDetachKey(chunk, detachKey);
      const forward = found ? chunk.subarray(0, found.index) : chunk;
      // node-pty writes whatever its socket takes; its types say string only.
      if (forward.length > 0) term.write(forward as unknown as string);
      if (found) startDetach();
    };

    const onResize = () => {
      try {
        term.resize(stdout.columns || 80, stdout.rows || 24);
      } catch {
        // The pty closed in between.
      }
    };

    // The terminal is slower than the program at times (a redraw over SSH): the pty waits.
    const onDrain = () => term.resume();
    const output = term.onData((data) => {
      if (!stdout.write(data as unknown as Buffer)) term.pause();
    });

    const exit = term.onExit(({ exitCode }) => {
      for (const timer of timers) clearTimeout(timer);
      output.dispose();
      exit.dispose();
      stdin.off('data', onInput);
      stdin.off('end', startDetach);
      stdout.off('resize', onResize);
      stdout.off('drain', onDrain);
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      if (!wasFlowing) stdin.pause();
      const result: AttachResult = { how: detaching ? 'detached' : 'exited', exitCode };
      stdout.write(RESTORE_TERMINAL, () => resolve(result));
    });

    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', onInput);
    // The operator's terminal went away: leave the runtime running.
    stdin.once('end', startDetach);
    stdin.resume();
    stdout.on('resize', onResize);
    stdout.on('drain', onDrain);
  });
}
