import type { RuntimeDriver, RuntimeFeed, RuntimeListener } from '../../domain/index.js';

/**
 * A runtime host's runtimes for an open control room: its list every few seconds (the host's
 * event stream would be finer; a poll is enough for choosing where a ticket goes). A host that
 * fails keeps its last list until it answers again.
 */
export class HostPollingFeed implements RuntimeFeed {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  /** `driver` is made on first use: a host's token is read only when it is polled. */
  constructor(
    readonly host: string,
    private readonly driver: () => Promise<RuntimeDriver>,
    private readonly intervalMs = 2_000,
  ) {}

  start(listener: RuntimeListener): void {
    this.stopped = false;
    const poll = async () => {
      try {
        const list = await (await this.driver()).list();
        if (!this.stopped) listener.runtimes(list);
      } catch (error) {
        // Unreachable or refused: said once per poll (the store keeps only a change), and the
        // next poll tries again.
        if (!this.stopped)
          listener.unreachable?.(error instanceof Error ? error.message : String(error));
      }
      if (!this.stopped) {
        this.timer = setTimeout(poll, this.intervalMs);
        this.timer.unref();
      }
    };
    void poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
