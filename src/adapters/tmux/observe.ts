import type { Profile, RuntimeState } from '../../domain/index.js';
import { detectOnce, mapToRuntimeState } from './detectors/index.js';
import type { PaneRow } from './runtime-rows.js';

/**
 * A runtime's state from one look: the agent's hook first, then its screen. Without history to
 * debounce, a quiet agent is `unknown`, never guessed idle.
 */
export function observeState(
  row: PaneRow,
  screen: readonly string[],
  profile: Profile | null,
): RuntimeState {
  const detected = detectOnce(profile?.detector ?? row.profile ?? null, {
    hookState: row.hookState,
    screen,
    currentCommand: row.currentCommand,
    dead: row.paneDead,
    at: Date.now(),
  });
  return mapToRuntimeState(detected, 'unknown');
}
