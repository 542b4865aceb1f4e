import { randomUUID } from 'node:crypto';
import type { TmuxClient } from './tmux-client.js';
import { TmuxError } from './tmux-error.js';

interface Queued {
  args: readonly string[];
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
}

/**
 * tmux commands as processes for a process that keeps no control connection (a one-shot
 * command): the commands asked for in the same tick run in one tmux process, so a list of 50
 * runtimes reads its 50 screens in one process, not 50. Each command is still answered on its
 * own: its output is found between markers the pane text cannot forge (a fresh random word per
 * process), and a command that fails fails alone (tmux stops at it; the rest run again).
 */
export class CommandBatch {
  private queue: Queued[] = [];

  constructor(private readonly tmux: TmuxClient) {}

  command(args: readonly string[]): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    let batch = this.queue;
    this.queue = [];
    while (batch.length > 0) batch = await this.runOnce(batch);
  }

  /** Runs the batch in one process; resolves with the commands still to run. */
  private async runOnce(batch: Queued[]): Promise<Queued[]> {
    const [first] = batch;
    if (batch.length === 1 && first) {
      await this.tmux.run(first.args).then(
        (out) => first.resolve(out.split('\n')),
        (error: Error) => first.reject(error),
      );
      return [];
    }
    const marker = randomUUID();
    const { stdout, error } = await this.tmux.runSequence(
      batch.flatMap((queued, i) => [['display-message', '-p', `${marker} ${i}`], queued.args]),
    );
    const outputs: string[][] = [];
    for (const line of stdout.split('\n')) {
      if (line === `${marker} ${outputs.length}`) outputs.push([]);
      else outputs.at(-1)?.push(line);
    }
    if (error === null) {
      batch.forEach((queued, i) => {
        queued.resolve(lines(outputs[i]));
      });
      return [];
    }
    if (outputs.length === 0 || error.problem === 'timeout') {
      // Nothing ran (no server, no tmux), or tmux hangs: every command fails with it.
      for (const queued of batch) queued.reject(error);
      return [];
    }
    // tmux stopped at the last command whose marker it printed.
    const failed = outputs.length - 1;
    batch.slice(0, failed).forEach((queued, i) => {
      queued.resolve(lines(outputs[i]));
    });
    const culprit = batch[failed] as Queued;
    const words = error.stderr || error.message;
    culprit.reject(new TmuxError(error.problem, `tmux ${culprit.args[0]}: ${words}`, error.stderr));
    return batch.slice(failed + 1);
  }
}

/** A command's lines as a process's own output splits into (nothing printed is one empty line). */
function lines(output: string[] | undefined): string[] {
  return output === undefined || output.length === 0 ? [''] : output;
}
