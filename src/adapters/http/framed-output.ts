import type { Screen } from '../../domain/driver.js';
import type { OutputListener } from '../../domain/live.js';
import { sanitizeLine } from '../../domain/sanitize.js';
import type { StreamSink } from './live-source.js';

/** While output flows, the host's screen is read at most this often to notice a new size. */
export const SIZE_READ_INTERVAL_MS = 1000;
/** Output held while the first screen is read, at most; past it the screen is not waited for. */
const MAX_HELD_BYTES = 8 * 1024 * 1024;

/**
 * A host's output stream for a listener that wants the screen at the start and the size as it
 * changes (a recording). Version 1 of the contract has neither in the stream, so both come from
 * `GET …/screen`: once the stream is open, the screen is read and given as `start` (its lines are
 * plain text there, sanitised here: the host is untrusted), and output that came while it was
 * read is dropped, as the screen shows it. After that, output (a resized program redraws) has
 * the screen read again, at most every `intervalMs`, and a new size is given as `resize`.
 * A screen that cannot be read leaves the stream as it is, without them.
 */
export function framedOutput(
  read: () => Promise<Screen>,
  follow: (sink: StreamSink) => () => void,
  listener: OutputListener,
  intervalMs = SIZE_READ_INTERVAL_MS,
): () => void {
  let stopped = false;
  /** Output held while the first screen is read; null once it has been. */
  let held: Buffer[] | null = listener.start ? [] : null;
  let heldBytes = 0;
  let size: { cols: number; rows: number } | null = null;
  let reading = false;
  let lastRead = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  const noteSize = (screen: Screen) => {
    if (size && (screen.cols !== size.cols || screen.rows !== size.rows)) {
      listener.resize?.(screen.cols, screen.rows);
    }
    size = { cols: screen.cols, rows: screen.rows };
  };
  const checkSize = () => {
    if (stopped || reading || timer !== undefined || !listener.resize) return;
    const wait = lastRead + intervalMs - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        checkSize();
      }, wait);
      return;
    }
    reading = true;
    lastRead = performance.now();
    read().then(
      (screen) => {
        reading = false;
        if (!stopped) noteSize(screen);
      },
      () => {
        // The stream says when the host is gone; a size read that failed waits for more output.
        reading = false;
      },
    );
  };
  /** Gives the held output on, and no screen at the start: it could not be read (in time). */
  const release = () => {
    const waiting = held ?? [];
    held = null;
    for (const bytes of waiting) listener.data(bytes);
  };
  const startScreen = () => {
    read().then(
      (screen) => {
        if (stopped || held === null) return;
        held = null;
        lastRead = performance.now();
        size = { cols: screen.cols, rows: screen.rows };
        listener.start?.({ ...screen, lines: screen.lines.map(sanitizeLine) });
      },
      () => {
        if (!stopped && held !== null) release();
      },
    );
  };

  const unsubscribe = follow({
    opened: (reopened) => {
      if (!reopened && held !== null) startScreen();
    },
    data: (bytes) => {
      if (held !== null) {
        held.push(bytes);
        heldBytes += bytes.length;
        if (heldBytes > MAX_HELD_BYTES) release();
      } else {
        listener.data(bytes);
        checkSize();
      }
    },
    dropped: (bytes) => listener.dropped?.(bytes),
    ended: (reason) => {
      stopped = true;
      clearTimeout(timer);
      listener.ended(reason);
    },
  });
  if (held === null && listener.resize) checkSize();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
