/**
 * Runtime state detection: one strategy per agent profile, pure and table-testable. The caller
 * keeps each pane's `DetectorMemory` between observations.
 */
import { detectorNamed } from '../../../domain/profiles.js';
import type { RuntimeState } from '../../../domain/runtime.js';
import { AiderDetector } from './aider.js';
import { ClaudeDetector } from './claude.js';
import { CodexDetector } from './codex.js';
import { GenericDetector } from './generic.js';
import { ShellDetector } from './shell.js';
import { SimDetector } from './sim.js';
import type { DetectedState, DetectorOptions, PaneObservation, StateDetector } from './types.js';

export { AgentDetector, type AgentTraits } from './agent-detector.js';
export { AiderDetector } from './aider.js';
export { ClaudeDetector } from './claude.js';
export { CodexDetector } from './codex.js';
export { solidScreen } from './faint.js';
export { GenericDetector } from './generic.js';
export {
  aiderInput,
  CLAUDE_PLACEHOLDERS,
  CODEX_PLACEHOLDERS,
  claudeInput,
  codexInput,
  type InputReader,
  simInput,
} from './input-readers.js';
export {
  AIDER_PATTERNS,
  CLAUDE_PATTERNS,
  CODEX_PATTERNS,
  GENERIC_PATTERNS,
  type PatternTable,
  type ScreenPattern,
  type ScreenVerdict,
  SHELL_PATTERNS,
  SIM_PATTERNS,
  scanScreen,
  WINDOW_LINES,
} from './patterns.js';
export { commandName, isShell, SHELLS, screenHash } from './screen.js';
export { ShellDetector } from './shell.js';
export { SimDetector } from './sim.js';
export {
  CLEAR_LINE_KEYS,
  DEFAULT_DETECTOR_OPTIONS,
  type DetectedState,
  type DetectorMemory,
  type DetectorOptions,
  type DetectorResult,
  EMPTY_MEMORY,
  type PaneObservation,
  type StateDetector,
} from './types.js';

/** The detector for a profile (or detector) name; null or an unknown name gets the generic one. */
export function detectorFor(
  profile: string | null,
  options: Partial<DetectorOptions> = {},
): StateDetector {
  // A profile's own name when it names no detector: `generic` for one that is no detector.
  switch (detectorNamed(profile ?? '')) {
    case 'codex':
      return new CodexDetector(options);
    case 'claude':
      return new ClaudeDetector(options);
    case 'aider':
      return new AiderDetector(options);
    case 'sim':
      return new SimDetector(options);
    case 'shell':
      return new ShellDetector();
    default:
      return new GenericDetector(options);
  }
}

/**
 * A single read without history (e.g. `runtimes list`): never calls a quiet agent idle, since
 * that takes a debounce; says `unknown` instead.
 */
export function detectOnce(profile: string | null, obs: PaneObservation): DetectedState {
  return detectorFor(profile).detectOnce(obs);
}

/**
 * The runtime-api state for a detected one. `unknown` has no runtime state: it becomes
 * `unknownAs`, `busy` by default, so that nothing is typed into a runtime that may be working.
 */
export function mapToRuntimeState(
  d: DetectedState,
  unknownAs: RuntimeState = 'busy',
): RuntimeState {
  return d === 'unknown' ? unknownAs : d;
}
