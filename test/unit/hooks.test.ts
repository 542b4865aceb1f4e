import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AgentHookState,
  agentStateCommand,
  hooksConfig,
  noHooksReason,
} from '../../src/adapters/tmux/hooks.js';

const STATES: AgentHookState[] = ['busy', 'waiting', 'idle'];

interface ClaudeHook {
  type: string;
  command: string;
}
interface ClaudeSettings {
  hooks: Record<string, Array<{ matcher?: string; hooks: ClaudeHook[] }>>;
}

function claudeSettings(): ClaudeSettings {
  const config = hooksConfig('claude');
  if (config === null) throw new Error('no claude config');
  return JSON.parse(config.text) as ClaudeSettings;
}

/** The argv of Codex's `notify = [...]` line (literal or basic TOML strings). */
function codexNotifyArgv(): string[] {
  const config = hooksConfig('codex');
  if (config === null) throw new Error('no codex config');
  const line = config.text.split('\n').find((l) => l.startsWith('notify'));
  const m = line?.match(/^notify = \[(.*)\]$/);
  if (!m?.[1]) throw new Error(`no notify array in ${config.text}`);
  const items = m[1].match(/'[^']*'|"(?:[^"\\]|\\.)*"/g) ?? [];
  return items.map((s) => (s.startsWith("'") ? s.slice(1, -1) : (JSON.parse(s) as string)));
}

/** A fake `tmux` on PATH that records its arguments, one per line. */
const dir = mkdtempSync(join(tmpdir(), 'cr-hooks-'));
const record = join(dir, 'calls');
writeFileSync(
  join(dir, 'tmux'),
  `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done >> "${record}"\n`,
);
chmodSync(join(dir, 'tmux'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runWithFakeTmux(file: string, args: string[], pane: string | undefined): string[] {
  writeFileSync(record, '');
  const env: NodeJS.ProcessEnv = { PATH: `${dir}:/usr/bin:/bin` };
  if (pane !== undefined) env.TMUX_PANE = pane;
  execFileSync(file, args, { env });
  return readFileSync(record, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

describe('agentStateCommand', () => {
  it.each(STATES)('%s: sets the option on $TMUX_PANE', (state) => {
    expect(agentStateCommand(state)).toContain(
      `tmux set-option -p -t "$TMUX_PANE" @agent_state ${state}`,
    );
    expect(runWithFakeTmux('sh', ['-c', agentStateCommand(state)], '%7')).toEqual([
      'set-option',
      '-p',
      '-t',
      '%7',
      '@agent_state',
      state,
    ]);
  });

  it('does nothing outside tmux, and succeeds', () => {
    expect(runWithFakeTmux('sh', ['-c', agentStateCommand('busy')], undefined)).toEqual([]);
  });

  it('passes an odd pane value as one argument, never as shell code', () => {
    const calls = runWithFakeTmux('sh', ['-c', agentStateCommand('idle')], '%1; touch pwned $(id)');
    expect(calls[3]).toBe('%1; touch pwned $(id)');
    expect(calls).toHaveLength(6);
  });
});

describe('hook commands are safe to paste', () => {
  const commands = [
    ...Object.values(claudeSettings().hooks).flatMap((groups) =>
      groups.flatMap((g) => g.hooks.map((h) => h.command)),
    ),
    codexNotifyArgv()[2] ?? '',
  ];
  it.each(commands)('%s', (command) => {
    expect(command).toContain('"$TMUX_PANE"');
    const rest = command.replaceAll('"$TMUX_PANE"', '');
    // Nothing else is expanded or chained: no $, backquote, quote, ;, &, redirection or newline.
    expect(rest).not.toMatch(/[$`'"\\;&<>\n]/);
    expect(rest).toMatch(
      /^\[ -z {2}\] \|\| tmux set-option -p -t {2}@agent_state (busy|waiting|idle)$/,
    );
  });
});

describe('Claude Code', () => {
  it('is valid JSON in the documented hooks shape', () => {
    const config = hooksConfig('claude');
    expect(config?.file).toBe('~/.claude/settings.json');
    const settings = claudeSettings();
    expect(Object.keys(settings)).toEqual(['hooks']);
    for (const groups of Object.values(settings.hooks)) {
      for (const group of groups) {
        expect(group.hooks.length).toBeGreaterThan(0);
        for (const hook of group.hooks) expect(hook.type).toBe('command');
      }
    }
  });

  it.each([
    ['UserPromptSubmit', 'busy'],
    ['PostToolUse', 'busy'],
    ['Notification', 'waiting'],
    ['Stop', 'idle'],
  ])('%s sets %s', (event, state) => {
    const command = claudeSettings().hooks[event]?.[0]?.hooks[0]?.command;
    expect(command).toBe(agentStateCommand(state as AgentHookState));
  });

  it('only permission prompts set waiting (not the idle prompt notification)', () => {
    expect(claudeSettings().hooks.Notification?.[0]?.matcher).toBe('permission_prompt');
    expect(claudeSettings().hooks.Stop?.[0]?.matcher).toBeUndefined();
  });

  it('accepts the claude-code alias and explains itself', () => {
    expect(hooksConfig('claude-code')).toEqual(hooksConfig('claude'));
    expect(hooksConfig('claude')?.instructions).toMatch(/settings\.json/);
  });
});

describe('Codex', () => {
  it('is a top-level TOML notify entry for ~/.codex/config.toml', () => {
    const config = hooksConfig('codex');
    expect(config?.file).toBe('~/.codex/config.toml');
    const lines = (config?.text ?? '').split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) expect(line).toMatch(/^(#.*|notify = \[.*\])$/);
    expect(lines.filter((l) => l.startsWith('notify'))).toHaveLength(1);
    expect(config?.text).not.toMatch(/^\[/m);
  });

  it('runs a shell that sets idle and ignores the JSON argument', () => {
    const argv = codexNotifyArgv();
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv[2]).toBe(agentStateCommand('idle'));
    const json = JSON.stringify({
      type: 'agent-turn-complete',
      'last-assistant-message': "it's $(done)",
    });
    const [file, ...args] = argv;
    expect(runWithFakeTmux(file ?? '', [...args, json], '%2')).toEqual([
      'set-option',
      '-p',
      '-t',
      '%2',
      '@agent_state',
      'idle',
    ]);
  });

  it('says that busy cannot be hooked', () => {
    const text = hooksConfig('codex')?.instructions ?? '';
    expect(text).toMatch(/busy/);
    expect(text).toMatch(/cannot be hooked/);
    expect(text).toMatch(/agent-turn-complete/);
  });
});

describe('profiles without hooks', () => {
  it.each(['aider', 'shell', 'mystery'])('%s → null', (profile) => {
    expect(hooksConfig(profile)).toBeNull();
  });

  it.each(['aider', 'shell'])('%s has a reason', (profile) => {
    expect(noHooksReason(profile)).toMatch(/screen|foreground/);
  });

  it('profiles with hooks have no such reason', () => {
    expect(noHooksReason('codex')).toBeNull();
    expect(noHooksReason('claude')).toBeNull();
  });
});
