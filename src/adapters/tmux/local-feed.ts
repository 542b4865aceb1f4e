import type { Profile, RuntimeFeed, RuntimeListener } from '../../domain/index.js';
import { LocalMonitor } from './local-monitor.js';
import type { TmuxClient } from './tmux-client.js';
import { TmuxWatcher } from './tmux-watcher.js';

/** This machine's tmux runtimes as a live feed: a watcher and a monitor, started on demand. */
export class LocalRuntimeFeed implements RuntimeFeed {
  readonly host = 'local';
  private monitor: LocalMonitor | null = null;

  /** `watcher`: the process's one connection, shared with its driver (a new one otherwise). */
  constructor(
    private readonly tmux: TmuxClient,
    private readonly profiles: Record<string, Profile>,
    private readonly watcher?: TmuxWatcher,
  ) {}

  start(listener: RuntimeListener): void {
    const watcher = this.watcher ?? new TmuxWatcher(this.tmux);
    this.monitor = new LocalMonitor(watcher, this.profiles, listener);
    this.monitor.start();
  }

  /** Reads the list now (after a create or close), so the next answer holds the change. */
  async refresh(): Promise<void> {
    await this.monitor?.refresh();
  }

  stop(): void {
    this.monitor?.stop();
    this.monitor = null;
  }
}
