export type TmuxProblem = 'missing' | 'no_server' | 'not_found' | 'timeout' | 'failed';

/** A tmux call that failed, with tmux's own words. */
export class TmuxError extends Error {
  readonly problem: TmuxProblem;
  readonly stderr: string;
  constructor(problem: TmuxProblem, message: string, stderr = '') {
    super(message);
    this.name = 'TmuxError';
    this.problem = problem;
    this.stderr = stderr;
  }
}
