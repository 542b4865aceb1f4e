const STEPS = ['reading files', 'editing', 'running checks'];
const TICK_MS = 150;

export interface JobEvents {
  /** An output line: `step N of 3… what`. */
  print: (line: string) => void;
  /** Every ~150 ms while working, with the whole seconds elapsed. */
  tick: (seconds: number) => void;
  /** Once, when the work time is over (not after `stop`). */
  done: () => void;
}

/**
 * One job's timers: a ticker for the status line and a timeout for the end. The three steps are
 * printed spread over the work time (the first at once). Timers run only while the job does.
 */
export class Job {
  private readonly started = Date.now();
  private stepsShown = 0;
  private readonly ticker: NodeJS.Timeout;
  private readonly finisher: NodeJS.Timeout;

  constructor(
    readonly prompt: string,
    private readonly workMs: number,
    private readonly events: JobEvents,
  ) {
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.finisher = setTimeout(() => {
      this.showSteps(STEPS.length);
      this.stop();
      this.events.done();
    }, workMs);
    this.tick();
  }

  get seconds(): number {
    return Math.floor((Date.now() - this.started) / 1000);
  }

  stop(): void {
    clearInterval(this.ticker);
    clearTimeout(this.finisher);
  }

  private tick(): void {
    const elapsed = Date.now() - this.started;
    const due = 1 + Math.floor((elapsed * STEPS.length) / Math.max(this.workMs, 1));
    this.showSteps(Math.min(due, STEPS.length));
    this.events.tick(this.seconds);
  }

  private showSteps(upTo: number): void {
    while (this.stepsShown < upTo) {
      this.stepsShown++;
      this.events.print(
        `step ${this.stepsShown} of ${STEPS.length}… ${STEPS[this.stepsShown - 1]}`,
      );
    }
  }
}
