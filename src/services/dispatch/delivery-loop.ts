import {
  type DeliveryReport,
  deliverOpen,
  type HostProblem,
  type WaitingReport,
} from './delivery.js';
import type { Dispatcher } from './dispatcher.js';
import type { DriverSource, OutboxPort } from './ports.js';

export interface DeliveryLoopOptions {
  dispatcher: Dispatcher;
  outbox: OutboxPort;
  drivers: DriverSource;
  /** How often runtimes are looked at while messages wait (default 1000 ms). */
  intervalMs?: number;
  onReport?: (report: DeliveryReport) => void;
  onHostProblem?: (problem: HostProblem) => void;
  /** A message a pass left waiting, and why. */
  onWaiting?: (waiting: WaitingReport) => void;
  /** Anything else that went wrong in a pass (the database, a bug): shown, and the loop goes on. */
  onError?: (error: unknown) => void;
}

/**
 * The dispatcher's background work, in `dispatch` and in every TUI: a pass over the outbox on
 * each tick and whenever `poke` is called (another process wrote to the database). Passes never
 * overlap; a poke during a pass runs one more pass after it.
 */
export class DeliveryLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly o: DeliveryLoopOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Resolves when the pass under way (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  poke(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** One pass now; what it delivered or failed. */
  async runOnce(): Promise<DeliveryReport[]> {
    const reports = await deliverOpen(
      this.o.dispatcher,
      this.o.outbox,
      this.o.drivers,
      this.o.onHostProblem,
      this.o.onWaiting,
    );
    for (const r of reports) this.o.onReport?.(r);
    return reports;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.runOnce()
        .then(
          () => {},
          (error: unknown) => this.o.onError?.(error),
        )
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          const next = this.again ? 0 : (this.o.intervalMs ?? 1000);
          this.again = false;
          this.schedule(next);
        });
    }, ms);
  }
}
