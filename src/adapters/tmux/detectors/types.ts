/** What a state detector reads and says. Pure data: detectors do no I/O. */

/** One look at a pane, as the tmux adapter gathers it. */
export interface PaneObservation {
  /** Value of the pane option @agent_state set by the agent's own hook: 'busy' | 'waiting' | 'idle' | '' (unset). */
  hookState: string;
  /** The pane's visible screen, lines, already stripped of escape sequences. */
  screen: readonly string[];
  /** pane_current_command (e.g. 'node', 'codex', 'claude', 'bash', 'zsh'). */
  currentCommand: string;
  /** pane_dead: the pane's process has exited. */
  dead: boolean;
  /** Milliseconds since epoch of this observation. */
  at: number;
}

/** A runtime state, or `unknown` when nothing seen so far allows a safe answer. */
export type DetectedState = 'starting' | 'idle' | 'busy' | 'needs_input' | 'exited' | 'unknown';

/**
 * What a detector remembers between two observations of one pane. The caller keeps it and hands
 * it back with the next observation; detectors never change it, they return a new one.
 */
export interface DetectorMemory {
  /** Hash of the last screen seen, or null before the first observation. */
  readonly screenHash: string | null;
  /** Time (ms since epoch) since which the screen has had `screenHash`, or null. */
  readonly unchangedSince: number | null;
  /** The state reported for the last observation, or null before the first. */
  readonly lastState: DetectedState | null;
}

/** The memory of a pane never observed. */
export const EMPTY_MEMORY: DetectorMemory = Object.freeze({
  screenHash: null,
  unchangedSince: null,
  lastState: null,
});

export interface DetectorResult {
  state: DetectedState;
  memory: DetectorMemory;
}

/** One strategy per agent profile (ccmanager's state detectors are the model). */
export interface StateDetector {
  /** The detector's name: a profile name (`codex`, `claude`, `aider`, `sim`, `shell`) or `generic`. */
  readonly profile: string;
  /** Reads one observation in the light of what was seen before; pure. */
  detect(obs: PaneObservation, memory: DetectorMemory): DetectorResult;
  /**
   * Reads a single observation with no history (e.g. `runtimes list`). Never guesses `idle` from
   * a quiet screen, since that needs a debounce: says `unknown` instead.
   */
  detectOnce(obs: PaneObservation): DetectedState;
  /**
   * The text in the agent's input line: `''` when it is empty (a placeholder hint counts as
   * empty), null when this screen shows no input line the detector knows. `solid` is the same
   * screen with faint text blanked (`faint.ts`), read for the text when given.
   */
  inputText(screen: readonly string[], solid?: readonly string[]): string | null;
  /**
   * tmux key names (fixed keys, never text) that empty the input line's current line and join it
   * to the one above; pressed until the line reads empty. Empty for a detector that cannot read
   * the input line.
   */
  readonly clearKeys: readonly TmuxKeyName[];
}

/** Readline's, and every known agent's: Ctrl-U kills to the start of the line, BSpace joins. */
/**
 * tmux key names a detector may press (`send-keys` without `-l`): a closed set, so no text ever
 * reaches tmux as key names.
 */
export type TmuxKeyName = 'C-u' | 'BSpace' | 'Escape' | 'Enter';

export const CLEAR_LINE_KEYS: readonly TmuxKeyName[] = ['C-u', 'BSpace'];

export interface DetectorOptions {
  /** How long the screen must stay unchanged, with no busy or question pattern, to call it idle. */
  idleAfterMs: number;
  /**
   * For agents whose screen reliably shows work (Codex, Claude Code, the simulated agent): a hook
   * state of busy or waiting is taken as stale when neither a busy nor a question pattern is
   * visible and the screen has not changed for this long (Claude Code runs no hook when the user
   * interrupts with Esc, so `busy` would otherwise stay forever). `Infinity` trusts hooks always.
   */
  staleHookMs: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = Object.freeze({
  idleAfterMs: 1500,
  staleHookMs: 30_000,
});
