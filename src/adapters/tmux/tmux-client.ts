import { processArgs } from './tmux-args.js';
import { TmuxError, type TmuxProblem } from './tmux-error.js';

/** How tmux is reached: which server (`tmux -L NAME`), and how long one call may take. */
export interface TmuxOptions {
  /** `--tmux-socket`: a server name under tmux's socket folder; the user's default otherwise. */
  socketName?: string | undefined;
  /** The tmux program; `tmux` on the PATH by default. */
  program?: string;
  /** Deadline of one tmux call. */
  timeoutMs?: number;
}

export { TmuxError, type TmuxProblem } from './tmux-error.js';

/**
 * Targets are exact: a plain name is prefix-matched by tmux (`mc-1` would find `mc-10`), so
 * sessions are targeted by id (`$3`; tmux 3.3's set-option does not take `=name`), panes by
 * `%5`, checked here.
 */
export const target = {
  pane: (paneId: string) => {
    if (!/^%\d+$/.test(paneId)) throw new TmuxError('failed', `not a pane id: ${paneId}`);
    return paneId;
  },
};

function classify(stderr: string): TmuxProblem {
  // A server with no session answers `list-panes -a` with "no current target": nothing to list.
  if (
    /no server running|error connecting to|server exited unexpectedly|no current target|no sessions/i.test(
      stderr,
    )
  ) {
    return 'no_server';
  }
  if (/can't find (session|window|pane|client)|no such (session|window|pane)/i.test(stderr)) {
    return 'not_found';
  }
  return 'failed';
}

/**
 * Runs tmux commands as processes: argument arrays, never a shell. Each call costs a process
 * (~12 ms); the monitor uses one control-mode connection instead (control-client.ts).
 */
/**
 * execa on first use: the control room draws its first frame before it runs any tmux process,
 * and loading execa costs ~50 ms.
 */
let execaModule: Promise<typeof import('execa')> | null = null;
function loadExeca(): Promise<typeof import('execa')> {
  execaModule ??= import('execa');
  return execaModule;
}

export class TmuxClient {
  readonly program: string;
  readonly socketName: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: TmuxOptions = {}) {
    this.program = options.program ?? 'tmux';
    this.socketName = options.socketName;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** `-L NAME` when a server was chosen; tmux's default server otherwise. */
  serverArgs(): string[] {
    return this.socketName === undefined ? [] : ['-L', this.socketName];
  }

  /** Runs one tmux command; resolves with its standard output. `input` goes to its stdin. */
  async run(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}) {
    const { ExecaError } = await loadExeca();
    try {
      return await this.exec(processArgs(args), options);
    } catch (error) {
      throw this.translate(error, args, ExecaError);
    }
  }

  /**
   * Several commands in one tmux process, in order. tmux stops at the first that fails: what
   * the others printed until then is kept (`stdout`), with that failure (`error`).
   */
  async runSequence(
    commands: readonly (readonly string[])[],
  ): Promise<{ stdout: string; error: TmuxError | null }> {
    const { ExecaError } = await loadExeca();
    // The separator is tmux's own `;`; a `;` in an argument is escaped by processArgs.
    const args = commands.flatMap((command, i) => [
      ...(i > 0 ? [';'] : []),
      ...processArgs(command),
    ]);
    try {
      return { stdout: await this.exec(args, {}), error: null };
    } catch (error) {
      const stdout = error instanceof ExecaError ? String(error.stdout ?? '') : '';
      return { stdout, error: this.translate(error, ['tmux'], ExecaError) };
    }
  }

  private async exec(args: string[], options: { input?: string; timeoutMs?: number }) {
    const { execa } = await loadExeca();
    const result = await execa(this.program, [...this.serverArgs(), ...args], {
      input: options.input ?? '',
      timeout: options.timeoutMs ?? this.timeoutMs,
      stripFinalNewline: true,
      env: { TMUX: '' },
      extendEnv: true,
    });
    return result.stdout;
  }

  async version(): Promise<{ text: string; major: number; minor: number }> {
    const text = await this.run(['-V']);
    const match = /(\d+)\.(\d+)/.exec(text);
    return { text, major: Number(match?.[1] ?? 0), minor: Number(match?.[2] ?? 0) };
  }

  /** Whether a server answers on the chosen socket. */
  async serverRunning(): Promise<boolean> {
    try {
      await this.run(['list-sessions', '-F', '#{session_id}']);
      return true;
    } catch (error) {
      if (error instanceof TmuxError && error.problem === 'no_server') return false;
      throw error;
    }
  }

  private translate(
    error: unknown,
    args: readonly string[],
    ExecaError: typeof import('execa').ExecaError,
  ): TmuxError {
    const command = args[0] ?? 'tmux';
    if (error instanceof ExecaError) {
      if (error.code === 'ENOENT') {
        return new TmuxError('missing', `${this.program} is not installed (or not on the PATH)`);
      }
      if (error.timedOut) {
        return new TmuxError('timeout', `tmux ${command} did not answer within its deadline`);
      }
      const stderr = String(error.stderr ?? '').trim();
      const words = stderr || error.shortMessage;
      return new TmuxError(classify(stderr), `tmux ${command}: ${words}`, stderr);
    }
    return new TmuxError('failed', `tmux ${command}: ${(error as Error).message}`);
  }
}
