import type { ScreenWatch, ScreenWatchListener, WatchedScreen } from '../../domain/live.js';
import { keepSgr, styleLines } from '../../domain/screen-text.js';
import { ControlConnection, type Notification } from './control-connection.js';
import { type PaneTarget, resolvePane } from './pane-target.js';
import type { TmuxClient } from './tmux-client.js';

/** A screen is re-read at most this often while its pane prints (the 66–100 ms). */
export const CAPTURE_INTERVAL_MS = 66;
const INFO_FORMAT = '#{history_size} #{pane_width} #{pane_height} #{cursor_x} #{cursor_y}';

export type CaptureReason = 'start' | 'output' | 'scroll' | 'continue';

export interface PaneWatchOptions {
  intervalMs?: number;
  /**
   * `pause-after` seconds (tmux ≥ 3.2): tmux stops sending us a pane's output once we are this
   * far behind, instead of holding the pane back; 0 leaves the flag off.
   */
  pauseAfter?: number | Promise<number>;
  /** Called as each capture is sent: lets tests count them. */
  onCapture?: (reason: CaptureReason) => void;
}

interface PaneInfo {
  history: number;
  cols: number;
  rows: number;
  x: number;
  y: number;
}

function parseInfo(line: string): PaneInfo {
  const [history = 0, cols = 0, rows = 0, x = 0, y = 0] = line.split(' ').map(Number);
  return { history, cols, rows, x, y };
}

/**
 * Watches one runtime's pane over its own read-only control connection: `%output` marks the pane
 * dirty, and the screen is re-read with `capture-pane -p -e` over the same connection, at once
 * when the last read is ≥ 66 ms old, else 66 ms after it; one read in flight at most, and none
 * at all (no timer either) while the pane is quiet.
 *
 * The output itself is not needed, only the news of it, and tmux escaping a flood for us costs
 * the agent (a 20 MB flood took twice as long with a client that merely read it). So the first
 * `%output` after a read pauses the pane for this client (`refresh-client -A %p:pause`, which
 * never holds the pane back) and each read continues it (which skips what was missed). A pane
 * that tmux itself paused (`pause-after`: we fell a second behind) is continued and re-read.
 */
export class PaneScreenWatch implements ScreenWatch {
  private connection: ControlConnection | null = null;
  private pane = '';
  private sessionId = '';
  private stopped = false;
  private done = false;
  private dirty: CaptureReason | null = null;
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private lastAt = Number.NEGATIVE_INFINITY;
  private scroll = 0;
  /** A scroll the caller asked for, not read yet (null: none). */
  private wanted: number | null = null;
  /** A pause asked since the last read, and how many of our pauses tmux has not confirmed. */
  private pauseSent = false;
  private ownPauses = 0;
  private readonly others = new Set<string>();
  private history = 0;
  private lastKey = '';
  private readonly intervalMs: number;
  /** Captures sent so far. */
  captures = 0;

  constructor(
    private readonly tmux: TmuxClient,
    private readonly target: PaneTarget,
    private readonly listener: ScreenWatchListener,
    private readonly options: PaneWatchOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? CAPTURE_INTERVAL_MS;
    void this.start();
  }

  scrollTo(offset: number): void {
    this.wanted = Math.max(0, Math.floor(Number.isFinite(offset) ? offset : 0));
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.connection?.close();
  }

  private async start(): Promise<void> {
    const seconds = await Promise.resolve(this.options.pauseAfter ?? 0).catch(() => 0);
    if (this.stopped) return;
    const flags = ['ignore-size', 'read-only', ...(seconds > 0 ? [`pause-after=${seconds}`] : [])];
    const connection = new ControlConnection(this.tmux, this.target.session, flags.join(','));
    this.connection = connection;
    connection.on('activity', (pane: string) => {
      if (pane === this.pane) this.onOutput();
      else if (this.pane && !this.others.has(pane)) {
        // The session's other panes are none of ours: paused for good (never `off`, which
        // stops tmux reading a pane no other client wants).
        this.others.add(pane);
        this.send(['refresh-client', '-A', `${pane}:pause`]);
      }
    });
    connection.on('notification', (n: Notification) => this.onNotification(n));
    connection.once('exit', (reason: string) => {
      // Before the pane is known, the failed attach says why, with tmux's own words.
      if (this.pane)
        this.end(reason === 'detached' ? 'the session ended' : `the session ended (${reason})`);
    });
    try {
      await connection.ready();
      const resolved = await resolvePane(connection, this.target);
      if (!resolved) {
        this.end(`no runtime in session ${this.target.session}`);
        return;
      }
      this.pane = resolved.pane;
      this.sessionId = resolved.sessionId;
      this.markDirty('start');
    } catch (error) {
      this.end(error instanceof Error ? error.message : String(error));
    }
  }

  private onNotification(n: Notification): void {
    if (!this.pane) return;
    if (n.name === 'pause' && n.args[0] === this.pane) {
      // One we did not ask for: we fell behind (pause-after) and tmux stopped sending us this
      // pane while the agent ran on. The read it triggers continues the pane and shows what we
      // missed. (Ours come after output, which has marked the pane dirty already.)
      if (this.ownPauses > 0) this.ownPauses -= 1;
      else this.markDirty('continue');
    } else if (n.name === 'layout-change') {
      // A resize reflows the screen without any output.
      this.markDirty('output');
    } else if (n.name === 'session-changed' && n.args[0] !== this.sessionId) {
      // Our session was destroyed and tmux moved the client on (`detach-on-destroy off`).
      this.end('the session ended');
    }
  }

  private onOutput(): void {
    // The pause goes out before a read the dirty mark may start at once: that read's continue
    // must come after it on the wire, or the pane would stay paused with no read to come.
    if (!this.pauseSent && !this.done && !this.stopped) {
      this.pauseSent = true;
      this.ownPauses += 1;
      this.send(['refresh-client', '-A', `${this.pane}:pause`]);
    }
    this.markDirty('output');
  }

  /** A command whose answer is not needed; a failure shows in the next read, or as the exit. */
  private send(args: readonly string[]): void {
    void this.connection?.command(args).catch(() => {});
  }

  private markDirty(reason: CaptureReason): void {
    if (this.dirty === null || reason !== 'output') this.dirty = reason;
    this.schedule();
  }

  private schedule(): void {
    if (this.busy || this.timer || this.stopped || this.done || !this.pane) return;
    if (this.wanted !== null) {
      void this.capture('scroll');
      return;
    }
    if (this.dirty === null) return;
    const wait = this.lastAt + this.intervalMs - Date.now();
    if (wait <= 0) {
      void this.capture(this.dirty);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.schedule();
    }, wait);
  }

  private async capture(reason: CaptureReason): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.busy = true;
    this.dirty = null;
    this.lastAt = Date.now();
    this.captures += 1;
    this.options.onCapture?.(reason);
    const wanted = this.wanted;
    this.wanted = null;
    // Output from here on marks the pane dirty again (a no-op when it was not paused); sent
    // first, so nothing printed after it can be missing from the capture below.
    this.pauseSent = false;
    this.send(['refresh-client', '-A', `${this.pane}:continue`]);
    try {
      const screen = await this.read(connection, wanted);
      const key = `${screen.cols}x${screen.rows} ${screen.cursor.x},${screen.cursor.y} ${screen.history} ${screen.scroll}\n${screen.lines.join('\n')}`;
      if (key !== this.lastKey && !this.stopped && !this.done) {
        this.lastKey = key;
        this.listener.screen(screen);
      }
    } catch (error) {
      // A closed connection ends the watch through its exit; anything else ends it here.
      if (!connection.closed) this.end(error instanceof Error ? error.message : String(error));
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  /** The screen `wanted` lines back (null: where the view is, kept on the same lines). */
  private async read(connection: ControlConnection, wanted: number | null): Promise<WatchedScreen> {
    const info = ['display-message', '-p', '-t', this.pane, INFO_FORMAT];
    const live = ['capture-pane', '-p', '-e', '-t', this.pane];
    let infoLine: string;
    let raw: string[];
    let scroll = 0;
    if ((wanted ?? this.scroll) === 0) {
      // The live screen: both commands back to back, one round trip.
      [[infoLine = ''], raw] = await Promise.all([
        connection.command(info),
        connection.command(live),
      ]);
    } else {
      [infoLine = ''] = await connection.command(info);
      for (let attempt = 1; ; attempt++) {
        const { history, rows } = parseInfo(infoLine);
        // Output arriving below a scrolled view pushes lines into the history: follow them, so
        // the view stays on the same text (it drifts once the history is at its limit).
        scroll = wanted ?? this.scroll + (history - this.history);
        scroll = Math.min(Math.max(0, scroll), history);
        const range = ['-S', String(-scroll), '-E', String(rows - 1 - scroll)];
        let after: string;
        [raw, [after = '']] = await Promise.all([
          connection.command(scroll === 0 ? live : [...live, ...range]),
          connection.command(info),
        ]);
        // The range counts from the live screen's top: if output scrolled it between the two
        // round trips, the capture is off by as much, so read again.
        const moved = parseInfo(after).history !== history || parseInfo(after).rows !== rows;
        infoLine = after;
        if (!moved || attempt === 3) break;
      }
    }
    const { history, cols, rows, x, y } = parseInfo(infoLine);
    this.history = history;
    this.scroll = scroll;
    const lines = styleLines(raw.map(keepSgr));
    return { cols, rows, lines, cursor: { x, y }, history, scroll };
  }

  private end(reason: string): void {
    if (this.done || this.stopped) return;
    this.done = true;
    this.clearTimer();
    this.connection?.close();
    this.listener.ended(reason);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
