/**
 * Agent configuration that reports the agent's state to tmux, as the pane option `@agent_state`
 * (`busy`, `waiting`, `idle`), which the state detectors read before the screen. Pure: this
 * only produces text for the operator (or `doctor`) to put in place.
 */

export type AgentHookState = 'busy' | 'waiting' | 'idle';

export interface HooksConfig {
  /** Where the text goes (`~` is the user's home). */
  file: string;
  /** The snippet to merge into that file. */
  text: string;
  /** What to do with it, and what it does not cover. */
  instructions: string;
}

/**
 * The shell command a hook runs. It references nothing but `$TMUX_PANE`, always in double quotes,
 * and does nothing outside tmux: with an empty target, tmux would pick some other pane.
 */
export function agentStateCommand(state: AgentHookState): string {
  return `[ -z "$TMUX_PANE" ] || tmux set-option -p -t "$TMUX_PANE" @agent_state ${state}`;
}

/** Why a profile has no hooks, for profiles whose `hooksConfig` is null. */
export function noHooksReason(profile: string): string | null {
  switch (profile.trim().toLowerCase()) {
    case 'aider':
      return 'Aider has no hooks that run on state changes; its state is read from the screen (yes/no prompts, output that keeps changing).';
    case 'shell':
      return 'A shell needs no hooks: the program in the foreground of the pane tells whether it is busy.';
    default:
      return null;
  }
}

/** The hook configuration for a profile, or null when it has none (aider, shell, unknown). */
export function hooksConfig(profile: string): HooksConfig | null {
  switch (profile.trim().toLowerCase()) {
    case 'codex':
      return codexConfig();
    case 'claude':
    case 'claude-code':
      return claudeConfig();
    default:
      return null;
  }
}

function codexConfig(): HooksConfig {
  // Codex runs the notify program with one more argument, a JSON object; after `sh -c SCRIPT`
  // the next argument is $0, so the JSON lands in $1 and the script ignores it.
  const argv = ['sh', '-c', agentStateCommand('idle'), 'control-room-notify'];
  const text = [
    '# control-room: mark the tmux pane idle when Codex finishes a turn (agent-turn-complete).',
    `notify = [${argv.map(tomlString).join(', ')}]`,
    '',
  ].join('\n');
  const instructions = [
    'Add the `notify` line to ~/.codex/config.toml as a top-level key, above the first [table].',
    'Codex accepts a single notify program: if you already have one, keep one and call the other from it.',
    'Codex runs it with a JSON argument when a turn completes (agent-turn-complete), which sets the pane idle.',
    'Codex has no notify event when a turn starts or when it asks for approval, so busy and',
    'needs_input cannot be hooked: they are read from the screen (`esc to interrupt`, approval dialogs),',
    'which the detector believes over an idle left by the previous turn.',
  ].join('\n');
  return { file: '~/.codex/config.toml', text, instructions };
}

function claudeConfig(): HooksConfig {
  const hook = (state: AgentHookState) => [{ type: 'command', command: agentStateCommand(state) }];
  const settings = {
    hooks: {
      UserPromptSubmit: [{ hooks: hook('busy') }],
      // After a permission prompt is answered the tool runs: the agent is working again.
      PostToolUse: [{ matcher: '*', hooks: hook('busy') }],
      // Only permission prompts: the idle_prompt notification would mark an idle agent waiting.
      Notification: [{ matcher: 'permission_prompt', hooks: hook('waiting') }],
      Stop: [{ hooks: hook('idle') }],
    },
  };
  const instructions = [
    'Merge the "hooks" object into ~/.claude/settings.json (or a project\'s .claude/settings.json),',
    'keeping any hooks you already have for the same events, then restart Claude Code.',
    'UserPromptSubmit and PostToolUse set the pane busy, a permission prompt sets it waiting, Stop sets it idle.',
    'Claude Code runs no Stop hook when you interrupt it with Esc; the detector then trusts the',
    'screen again once it has been still for a while.',
  ].join('\n');
  return {
    file: '~/.claude/settings.json',
    text: `${JSON.stringify(settings, null, 2)}\n`,
    instructions,
  };
}

/** A TOML string: a literal string when it can be one, else a basic string with escapes. */
function tomlString(value: string): string {
  if (!/['\n\r]/.test(value) && !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    return `'${value}'`;
  }
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `"${escaped}"`;
}
