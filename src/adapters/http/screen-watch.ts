import type { Screen } from '../../domain/driver.js';
import type { ScreenWatch, ScreenWatchListener } from '../../domain/live.js';
import { sanitizeLine } from '../../domain/sanitize.js';
import { endReason } from './classify.js';
import { HttpDriverError } from './http-driver.js';
import type { StreamSink } from './live-source.js';

/**
 * The screen of one runtime, read through `GET …/screen` when its output stream says it changed:
 * at once on the first change (and on start), then at most every `intervalMs`, never two reads at
 * a time; a screen equal to the last one is not emitted. An idle runtime costs the open stream
 * and nothing else. Lines are sanitised: the contract says plain text, but the host is untrusted.
 *
 * Version 1 of the contract has no scrollback call: `history` is always 0, and `scrollTo` clamps
 * every offset to 0 (the live screen), so it never changes what is shown.
 */
export class HttpScreenWatch implements ScreenWatch {
  private stopped = false;
  private dirty = true;
  private reading = false;
  private notBefore = 0;
  private timer: NodeJS.Timeout | undefined;
  private last: string | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly read: () => Promise<Screen>,
    follow: (sink: StreamSink) => () => void,
    private readonly listener: ScreenWatchListener,
    private readonly intervalMs: number,
  ) {
    this.unsubscribe = follow({
      data: () => this.mark(),
      dropped: () => this.mark(),
      // After a reopening the screen may have moved while nobody listened.
      opened: (reopened) => reopened && this.mark(),
      ended: (reason) => this.end(reason),
    });
    this.schedule();
  }

  scrollTo(_offset: number): void {
    // Clamped to the history, which is 0 here: the view stays on the live screen.
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe();
  }

  private mark(): void {
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.reading || this.timer !== undefined || !this.dirty) return;
    const wait = this.notBefore - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    this.dirty = false;
    this.reading = true;
    this.notBefore = performance.now() + this.intervalMs;
    this.read().then(
      (screen) => {
        this.reading = false;
        if (this.stopped) return;
        this.emit(screen);
        this.schedule();
      },
      (error: unknown) => {
        this.reading = false;
        if (this.stopped) return;
        const kind = error instanceof HttpDriverError ? error.error.kind : null;
        if (kind === 'not_found' || kind === 'auth' || kind === 'invalid') {
          this.end(endReason((error as HttpDriverError).error));
          return;
        }
        // A passing failure: try again a little later; the stream tells whether the host is gone.
        this.dirty = true;
        this.notBefore = performance.now() + Math.max(this.intervalMs, 1_000);
        this.schedule();
      },
    );
  }

  private emit(screen: Screen): void {
    const lines = screen.lines.map(sanitizeLine);
    const key = JSON.stringify([screen.cols, screen.rows, screen.cursor.x, screen.cursor.y, lines]);
    if (key === this.last) return;
    this.last = key;
    this.listener.screen({ ...screen, lines, history: 0, scroll: 0 });
  }

  private end(reason: string): void {
    if (this.stopped) return;
    this.stop();
    this.listener.ended(reason);
  }
}
