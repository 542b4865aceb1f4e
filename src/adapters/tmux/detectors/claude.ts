import { AgentDetector, type AgentTraits } from './agent-detector.js';
import { CLAUDE_PLACEHOLDERS, claudeInput } from './input-readers.js';
import { CLAUDE_PATTERNS } from './patterns.js';

/** Claude Code: `esc to interrupt` while working; permission dialogs; hooks for every state. */
export class ClaudeDetector extends AgentDetector {
  readonly profile = 'claude';
  protected readonly traits: AgentTraits = {
    patterns: CLAUDE_PATTERNS,
    hookReportsBusy: true,
    screenShowsBusy: true,
    activityMeansBusy: false,
    input: claudeInput({ placeholders: CLAUDE_PLACEHOLDERS }),
  };
}
