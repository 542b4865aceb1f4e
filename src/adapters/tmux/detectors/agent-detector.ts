/** The common strategy of agent detectors; each agent brings its patterns and traits. */

import type { InputReader } from './input-readers.js';
import {
  hookToState,
  NO_HISTORY,
  type ObservationContext,
  observe,
  parseHookState,
} from './observation.js';
import { type PatternTable, scanScreen } from './patterns.js';
import { isShell } from './screen.js';
import {
  CLEAR_LINE_KEYS,
  DEFAULT_DETECTOR_OPTIONS,
  type DetectedState,
  type DetectorMemory,
  type DetectorOptions,
  type DetectorResult,
  type PaneObservation,
  type StateDetector,
} from './types.js';

export interface AgentTraits {
  readonly patterns: PatternTable;
  /**
   * The agent's hooks report busy as well as idle, so a hook `idle` is believed over the screen.
   * When false (Codex: only turn completion can be hooked), a busy or question pattern on the
   * screen overrides a hook `idle` left over from the previous turn.
   */
  readonly hookReportsBusy: boolean;
  /** A busy pattern is on screen whenever the agent works: allows the stale-hook rule. */
  readonly screenShowsBusy: boolean;
  /** Without a busy pattern of its own, a screen that changes after idle means work (Aider). */
  readonly activityMeansBusy: boolean;
  /** Reads the agent's input line off its screen. */
  readonly input: InputReader;
}

/**
 * An agent in a pane. In order: a dead pane, or a shell back in front, is `exited`; then the
 * agent's own hook; then the bottom of the screen; then, with nothing decisive, `idle` once the
 * screen has been still for `idleAfterMs`, and the previous state until then.
 */
export abstract class AgentDetector implements StateDetector {
  abstract readonly profile: string;
  protected abstract readonly traits: AgentTraits;
  protected readonly options: DetectorOptions;

  constructor(options: Partial<DetectorOptions> = {}) {
    this.options = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
  }

  detect(obs: PaneObservation, memory: DetectorMemory): DetectorResult {
    const { context, remember } = observe(obs, memory);
    const state = this.evidence(obs, context) ?? this.quiet(context);
    return { state, memory: remember(state) };
  }

  detectOnce(obs: PaneObservation): DetectedState {
    return this.evidence(obs, NO_HISTORY) ?? 'unknown';
  }

  readonly clearKeys = CLEAR_LINE_KEYS;

  inputText(screen: readonly string[], solid: readonly string[] = screen): string | null {
    return this.traits.input(screen, solid);
  }

  /** The state when something on the pane decides it; null when only time can tell. */
  protected evidence(obs: PaneObservation, ctx: ObservationContext): DetectedState | null {
    if (obs.dead || isShell(obs.currentCommand)) return 'exited';
    const verdict = scanScreen(obs.screen, this.traits.patterns);
    const hook = parseHookState(obs.hookState);
    if (hook === 'idle') {
      return !this.traits.hookReportsBusy && verdict !== null ? verdict : 'idle';
    }
    if (hook !== null) {
      // A dialog at the very bottom is more precise than a hook `busy` set before it appeared.
      if (hook === 'busy' && verdict === 'needs_input') return verdict;
      const stale =
        this.traits.screenShowsBusy &&
        verdict === null &&
        ctx.history &&
        ctx.stillForMs >= this.options.staleHookMs;
      if (!stale) return hookToState(hook);
    }
    return verdict;
  }

  /** No hook and no pattern: debounce towards idle. */
  protected quiet(ctx: ObservationContext): DetectedState {
    if (ctx.history && ctx.stillForMs >= this.options.idleAfterMs) return 'idle';
    switch (ctx.lastState) {
      case null:
      case 'exited':
        return 'starting';
      case 'needs_input':
        // The question went away: it was answered, and the agent works on.
        return 'busy';
      case 'idle':
        return this.traits.activityMeansBusy && ctx.changed ? 'busy' : 'idle';
      default:
        return ctx.lastState;
    }
  }
}
