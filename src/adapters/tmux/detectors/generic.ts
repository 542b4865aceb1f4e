/** Panes whose profile is unknown, e.g. sessions the control room did not create. */
import { AiderDetector } from './aider.js';
import { ClaudeDetector } from './claude.js';
import { CodexDetector } from './codex.js';
import {
  hookToState,
  NO_HISTORY,
  type ObservationContext,
  observe,
  parseHookState,
} from './observation.js';
import { GENERIC_PATTERNS, scanScreen } from './patterns.js';
import { commandName, isShell } from './screen.js';
import {
  DEFAULT_DETECTOR_OPTIONS,
  type DetectedState,
  type DetectorMemory,
  type DetectorOptions,
  type DetectorResult,
  type PaneObservation,
  type StateDetector,
  type TmuxKeyName,
} from './types.js';

/**
 * In order: a dead pane is `exited`; a known agent in front (`codex`, `claude`, `aider`) is read
 * by that agent's detector; a shell in front is `idle`; then the hook; then every agent's
 * patterns; then a screen that changes is `busy`. Anything else is `unknown`: a still screen of
 * an unknown program does not show that it waits for a prompt.
 */
export class GenericDetector implements StateDetector {
  readonly profile = 'generic';
  private readonly options: DetectorOptions;
  private readonly agents: ReadonlyMap<string, StateDetector>;

  constructor(options: Partial<DetectorOptions> = {}) {
    this.options = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
    this.agents = new Map<string, StateDetector>([
      ['codex', new CodexDetector(options)],
      ['claude', new ClaudeDetector(options)],
      ['aider', new AiderDetector(options)],
    ]);
  }

  /** An unknown program's input line is not known: it cannot tell (nothing to clear either). */
  readonly clearKeys: readonly TmuxKeyName[] = [];

  inputText(): string | null {
    return null;
  }

  detect(obs: PaneObservation, memory: DetectorMemory): DetectorResult {
    const agent = this.agentInFront(obs);
    if (agent !== null) return agent.detect(obs, memory);
    const { context, remember } = observe(obs, memory);
    const state = this.evidence(obs) ?? this.quiet(context);
    return { state, memory: remember(state) };
  }

  detectOnce(obs: PaneObservation): DetectedState {
    const agent = this.agentInFront(obs);
    if (agent !== null) return agent.detectOnce(obs);
    return this.evidence(obs) ?? this.quiet(NO_HISTORY);
  }

  private agentInFront(obs: PaneObservation): StateDetector | null {
    if (obs.dead) return null;
    return this.agents.get(commandName(obs.currentCommand)) ?? null;
  }

  private evidence(obs: PaneObservation): DetectedState | null {
    if (obs.dead) return 'exited';
    if (isShell(obs.currentCommand)) return 'idle';
    const hook = parseHookState(obs.hookState);
    if (hook !== null) return hookToState(hook);
    return scanScreen(obs.screen, GENERIC_PATTERNS);
  }

  private quiet(ctx: ObservationContext): DetectedState {
    if (ctx.changed) return 'busy';
    if (ctx.lastState === 'busy' && ctx.stillForMs < this.options.idleAfterMs) return 'busy';
    return 'unknown';
  }
}
