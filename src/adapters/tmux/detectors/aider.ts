import { AgentDetector, type AgentTraits } from './agent-detector.js';
import { aiderInput } from './input-readers.js';
import { AIDER_PATTERNS } from './patterns.js';

/**
 * Aider: no hooks and no steady busy status line, so output that keeps changing after idle
 * counts as work; `(Y)es/(N)o` and `[Y/n]` prompts are questions.
 */
export class AiderDetector extends AgentDetector {
  readonly profile = 'aider';
  protected readonly traits: AgentTraits = {
    patterns: AIDER_PATTERNS,
    hookReportsBusy: false,
    screenShowsBusy: false,
    activityMeansBusy: true,
    input: aiderInput({ placeholders: [] }),
  };
}
