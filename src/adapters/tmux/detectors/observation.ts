/** How one observation relates to the ones before it; shared by every detector. */
import { screenHash } from './screen.js';
import type { DetectedState, DetectorMemory, PaneObservation } from './types.js';

export interface ObservationContext {
  /** At least one earlier observation of this pane is known. */
  readonly history: boolean;
  /** The screen differs from the one seen last time. */
  readonly changed: boolean;
  /** How long the screen has been as it is now (0 without history). */
  readonly stillForMs: number;
  readonly lastState: DetectedState | null;
}

/** The context of a one-shot read: nothing seen before. */
export const NO_HISTORY: ObservationContext = Object.freeze({
  history: false,
  changed: false,
  stillForMs: 0,
  lastState: null,
});

/** Compares the observation with the memory; returns the context and the memory to keep. */
export function observe(
  obs: PaneObservation,
  memory: DetectorMemory,
): { context: ObservationContext; remember: (state: DetectedState) => DetectorMemory } {
  const hash = screenHash(obs.screen);
  const history = memory.screenHash !== null;
  const same = history && memory.screenHash === hash && memory.unchangedSince !== null;
  const unchangedSince = same ? (memory.unchangedSince as number) : obs.at;
  const context: ObservationContext = {
    history,
    changed: history && memory.screenHash !== hash,
    stillForMs: Math.max(0, obs.at - unchangedSince),
    lastState: memory.lastState,
  };
  const remember = (state: DetectedState): DetectorMemory =>
    Object.freeze({ screenHash: hash, unchangedSince, lastState: state });
  return { context, remember };
}

export type HookState = 'busy' | 'waiting' | 'idle';

/** The pane's `@agent_state`, or null when it is unset or holds anything else. */
export function parseHookState(value: string): HookState | null {
  const v = value.trim().toLowerCase();
  return v === 'busy' || v === 'waiting' || v === 'idle' ? v : null;
}

export function hookToState(hook: HookState): DetectedState {
  return hook === 'waiting' ? 'needs_input' : hook;
}
