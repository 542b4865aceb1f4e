import { execFile } from 'node:child_process';

export type AgentState = 'busy' | 'waiting' | 'idle';

/**
 * Reports the agent's state the way a real agent's hook does:
 * `tmux -S <socket> set-option -p -t $TMUX_PANE @agent_state <state>`, run without a shell, on the
 * server named by `$TMUX` (its first comma-separated field is the socket path). Calls run one
 * after another, so the pane ends with the last state; failures are ignored.
 */
export class StateHook {
  private chain: Promise<void> = Promise.resolve();
  private readonly socket: string | null;
  private readonly pane: string | null;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const socket = env.TMUX?.split(',')[0];
    this.socket = socket ? socket : null;
    this.pane = env.TMUX_PANE ? env.TMUX_PANE : null;
  }

  /** False outside tmux: then `report` does nothing. */
  get available(): boolean {
    return this.socket !== null && this.pane !== null;
  }

  report(state: AgentState): void {
    if (this.socket === null || this.pane === null) return;
    const args = ['-S', this.socket, 'set-option', '-p', '-t', this.pane, '@agent_state', state];
    this.chain = this.chain.then(
      () =>
        new Promise<void>((resolve) => {
          execFile('tmux', args, { timeout: 5000 }, () => resolve());
        }),
    );
  }

  /** Resolves once every report so far has run (or failed). */
  settled(): Promise<void> {
    return this.chain;
  }
}
