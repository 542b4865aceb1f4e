import { AgentDetector, type AgentTraits } from './agent-detector.js';
import { CODEX_PLACEHOLDERS, codexInput } from './input-readers.js';
import { CODEX_PATTERNS } from './patterns.js';

/**
 * OpenAI Codex CLI: `esc to interrupt` while working; approval dialogs. Its `notify` hook only
 * reports turn completion (idle), so the screen is believed over a hook `idle`.
 */
export class CodexDetector extends AgentDetector {
  readonly profile = 'codex';
  protected readonly traits: AgentTraits = {
    patterns: CODEX_PATTERNS,
    hookReportsBusy: false,
    screenShowsBusy: true,
    activityMeansBusy: false,
    input: codexInput({ placeholders: CODEX_PLACEHOLDERS }),
  };
}
