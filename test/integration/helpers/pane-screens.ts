import type { ScreenWatchListener, WatchedScreen } from '../../../src/domain/live.js';

interface Waiter {
  check: (screen: WatchedScreen) => boolean;
  resolve: (screen: WatchedScreen) => void;
  reject: (error: Error) => void;
}

/**
 * A screen-watch listener that keeps what it heard and lets a test await a screen that passes a
 * check (no sleeping: it resolves on the screen itself, or fails at a deadline with the last one).
 */
export class ScreenLog implements ScreenWatchListener {
  readonly screens: WatchedScreen[] = [];
  endedWith: string | null = null;
  private readonly waiters = new Set<Waiter>();
  private endWaiters: ((reason: string) => void)[] = [];

  get last(): WatchedScreen | undefined {
    return this.screens[this.screens.length - 1];
  }

  screen(screen: WatchedScreen): void {
    this.screens.push(screen);
    for (const waiter of [...this.waiters]) {
      if (waiter.check(screen)) {
        this.waiters.delete(waiter);
        waiter.resolve(screen);
      }
    }
  }

  ended(reason: string): void {
    this.endedWith = reason;
    for (const resolve of this.endWaiters.splice(0)) resolve(reason);
    for (const waiter of [...this.waiters]) {
      this.waiters.delete(waiter);
      waiter.reject(new Error(`the watch ended (${reason}) before: ${this.describe()}`));
    }
  }

  /** The first screen, from the last one heard on, that passes `check`. */
  next(check: (screen: WatchedScreen) => boolean, what: string, timeoutMs = 15_000) {
    const last = this.last;
    if (last && check(last)) return Promise.resolve(last);
    return new Promise<WatchedScreen>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; ${this.describe()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: (screen) => {
          clearTimeout(timer);
          resolve(screen);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** A screen with a line holding `text`. */
  showing(text: string, timeoutMs?: number): Promise<WatchedScreen> {
    return this.next(
      (s) => s.lines.some((l) => l.includes(text)),
      `a line with "${text}"`,
      timeoutMs,
    );
  }

  end(timeoutMs = 15_000): Promise<string> {
    if (this.endedWith !== null) return Promise.resolve(this.endedWith);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for the end')), timeoutMs);
      this.endWaiters.push((reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  }

  private describe(): string {
    const last = this.last;
    return last
      ? `${this.screens.length} screens, the last (scroll ${last.scroll}/${last.history}): ${JSON.stringify(last.lines.filter((l) => l !== ''))}`
      : 'no screen at all';
  }
}
