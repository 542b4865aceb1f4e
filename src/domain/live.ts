import type { Screen } from './driver.js';

/**
 * The live side of a runtime: its console as it changes (the watch panel), its raw output (a
 * recording), and how to attach to it. Each transport (local tmux, a runtime host) provides these
 * beside its RuntimeDriver; the UI sees only these shapes.
 */

/** A runtime's screen as a watcher sees it: lines that keep SGR colours and nothing else. */
export interface WatchedScreen extends Screen {
  /** Lines of scrollback above the visible screen (how far PgUp can go). */
  history: number;
  /** How many lines above the live screen this view is (0: the live screen). */
  scroll: number;
}

export interface ScreenWatchListener {
  /** The screen changed (or the scroll offset did); at most every ~66–100 ms. */
  screen(screen: WatchedScreen): void;
  /** The runtime or its host went away; no more screens will come. */
  ended(reason: string): void;
}

export interface ScreenWatch {
  /** Shows the screen `offset` lines back in the scrollback (0: live); clamped to the history. */
  scrollTo(offset: number): void;
  stop(): void;
}

export interface OutputListener {
  /**
   * The screen as it is when the stream starts, given once before any `data` by a source that
   * can read it (lines keep SGR colours where the source has them; a host's are plain text).
   * Output the screen already shows is not given again as `data`.
   */
  start?(screen: Screen): void;
  /** The pane's size changed (columns, rows). */
  resize?(cols: number, rows: number): void;
  /** Bytes the runtime wrote, in order. */
  data(bytes: Buffer): void;
  /** Bytes lost because the listener fell behind (never the agent throttled). */
  dropped?(bytes: number): void;
  ended(reason: string): void;
}

/** What a host offers to watch its runtimes live. */
export interface LiveSource {
  readonly host: string;
  watchScreen(id: string, listener: ScreenWatchListener): ScreenWatch;
  output(id: string, listener: OutputListener): () => void;
}

/** A program that attaches the operator's terminal to a runtime (run in a pty). */
export interface AttachCommand {
  file: string;
  args: string[];
  /** Environment variables to remove (TMUX, so tmux does not refuse to nest). */
  unsetEnv: string[];
}
