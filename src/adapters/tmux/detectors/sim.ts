import { AgentDetector, type AgentTraits } from './agent-detector.js';
import { simInput } from './input-readers.js';
import { SIM_PATTERNS } from './patterns.js';

/**
 * The simulated agent (`src/sim-agent`): `Working (Ns • esc to interrupt)` while working,
 * `Allow command "npm test"? (y/n)` when it asks; with `--state-hook` it sets every state.
 */
export class SimDetector extends AgentDetector {
  readonly profile = 'sim';
  protected readonly traits: AgentTraits = {
    patterns: SIM_PATTERNS,
    hookReportsBusy: true,
    screenShowsBusy: true,
    activityMeansBusy: false,
    input: simInput({ placeholders: [] }),
  };
}
