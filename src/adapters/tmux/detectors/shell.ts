/** A plain shell profile: the foreground process tells the state. */
import { hookToState, observe, parseHookState } from './observation.js';
import { SHELL_PATTERNS, scanScreen } from './patterns.js';
import { isShell } from './screen.js';
import type {
  DetectedState,
  DetectorMemory,
  DetectorResult,
  PaneObservation,
  StateDetector,
  TmuxKeyName,
} from './types.js';

/**
 * `shell`: the shell at its prompt is idle, any other foreground program is busy (or
 * needs_input while it asks a yes/no question on its last lines). A hook state counts only while
 * a program is in front: it belongs to that program, and is stale once the shell is back.
 */
export class ShellDetector implements StateDetector {
  readonly profile = 'shell';
  /** A shell's line is never typed into (a send to a shell is refused): nothing to read. */
  readonly clearKeys: readonly TmuxKeyName[] = [];

  inputText(): string | null {
    return null;
  }

  detect(obs: PaneObservation, memory: DetectorMemory): DetectorResult {
    const { remember } = observe(obs, memory);
    const state = this.detectOnce(obs);
    return { state, memory: remember(state) };
  }

  detectOnce(obs: PaneObservation): DetectedState {
    if (obs.dead) return 'exited';
    if (isShell(obs.currentCommand)) return 'idle';
    const hook = parseHookState(obs.hookState);
    if (hook !== null) return hookToState(hook);
    return scanScreen(obs.screen, SHELL_PATTERNS) ?? 'busy';
  }
}
