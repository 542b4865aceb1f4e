import type {
  LiveSource,
  OutputListener,
  ScreenWatch,
  ScreenWatchListener,
} from '../../domain/live.js';
import type { Notification } from './control-connection.js';
import { OutputClient } from './output-client.js';
import { PaneScreenWatch, type PaneWatchOptions } from './pane-screen-watch.js';
import { readPaneScreen, readPaneSize } from './pane-snapshot.js';
import { resolvePane, runtimeTarget } from './pane-target.js';
import type { TmuxClient } from './tmux-client.js';

export {
  CAPTURE_INTERVAL_MS,
  type CaptureReason,
  PaneScreenWatch,
  type PaneWatchOptions,
} from './pane-screen-watch.js';
export { type PaneTarget, resolvePane, runtimeTarget } from './pane-target.js';

/** pause-after came with tmux 3.2 (with `attach -f`); older servers get no such flag. */
async function pauseAfterSeconds(tmux: TmuxClient): Promise<number> {
  try {
    const { major, minor } = await tmux.version();
    return major > 3 || (major === 3 && minor >= 2) ? 1 : 0;
  } catch {
    return 0;
  }
}

export interface LocalLiveOptions extends Omit<PaneWatchOptions, 'pauseAfter'> {
  host?: string;
}

/**
 * This machine's runtimes, live: each watched screen and each output stream is one read-only
 * control-mode connection to the runtime's session, closed when its watcher stops.
 */
export class LocalLiveSource implements LiveSource {
  readonly host: string;
  private pauseAfter: Promise<number> | null = null;

  constructor(
    private readonly tmux: TmuxClient,
    private readonly options: LocalLiveOptions = {},
  ) {
    this.host = options.host ?? 'local';
  }

  watchScreen(id: string, listener: ScreenWatchListener): ScreenWatch {
    const target = runtimeTarget(id);
    if (!target) {
      queueMicrotask(() => listener.ended(`no runtime ${id} on ${this.host}`));
      return { scrollTo: () => {}, stop: () => {} };
    }
    // The version is asked once (a process), and only when something is first watched.
    this.pauseAfter ??= pauseAfterSeconds(this.tmux);
    return new PaneScreenWatch(this.tmux, target, listener, {
      ...this.options,
      pauseAfter: this.pauseAfter,
    });
  }

  /**
   * The runtime's raw output from now on, for recordings. The client reads promptly and hands
   * each chunk over at once, so nothing is dropped here.
   */
  output(id: string, listener: OutputListener): () => void {
    const target = runtimeTarget(id);
    let stopped = false;
    let ended = false;
    let client: OutputClient | null = null;
    const end = (reason: string) => {
      if (stopped || ended) return;
      ended = true;
      client?.close();
      listener.ended(reason);
    };
    if (!target) {
      queueMicrotask(() => end(`no runtime ${id} on ${this.host}`));
      return () => {};
    }
    void (async () => {
      try {
        client = await OutputClient.connect(this.tmux, target.session);
        if (stopped) {
          client.close();
          return;
        }
        let pane: string | null = null;
        // Output that comes while the pane is looked up is held, then kept if it is the pane's.
        const early: [string, Buffer][] = [];
        client.on('output', (from: string, data: Buffer) => {
          if (pane === null) early.push([from, data]);
          else if (from === pane) listener.data(data);
        });
        client.once('exit', (reason: string) =>
          end(reason === 'detached' ? 'the session ended' : `the session ended (${reason})`),
        );
        const resolved = await resolvePane(client, target);
        if (!resolved) {
          end(`no runtime ${id} on ${this.host}`);
          return;
        }
        let size: { cols: number; rows: number } | null = null;
        if (listener.start) {
          const screen = await readPaneScreen(client, resolved.pane);
          if (stopped || ended) return;
          // What came before the screen was read is on it: given twice, a replay would
          // print it twice.
          early.length = 0;
          size = { cols: screen.cols, rows: screen.rows };
          listener.start(screen);
        }
        pane = resolved.pane;
        for (const [from, data] of early.splice(0)) if (from === pane) listener.data(data);
        if (listener.resize) this.followSize(client, resolved.pane, size, listener);
      } catch (error) {
        end(error instanceof Error ? error.message : String(error));
      }
    })();
    return () => {
      stopped = true;
      client?.close();
    };
  }

  /** Tells `listener` each new size of the pane: tmux reports a window's layout changing. */
  private followSize(
    client: OutputClient,
    pane: string,
    known: { cols: number; rows: number } | null,
    listener: OutputListener,
  ): void {
    let last = known;
    let reading = Promise.resolve();
    const check = () => {
      reading = reading.then(async () => {
        const size = await readPaneSize(client, pane).catch(() => null);
        if (!size || client.closed || (last && size.cols === last.cols && size.rows === last.rows))
          return;
        const first = last === null;
        last = size;
        if (!first) listener.resize?.(size.cols, size.rows);
      });
    };
    client.on('notification', (n: Notification) => {
      if (n.name === 'layout-change') check();
    });
    if (last === null) check();
  }
}
