import type { Command } from 'commander';
import { hooksConfig, noHooksReason } from '../../adapters/tmux/hooks.js';
import { AppFailure } from '../../domain/index.js';
import { write, writeJson } from '../output.js';
import { term, termBlock } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';

export function registerHooksCommand(program: Command, run: CommandRunner): void {
  program
    .command('hooks')
    .description(
      'print the agent configuration that reports its state to tmux (@agent_state): the config on stdout, where it goes on stderr',
    )
    .argument('<profile>', 'codex or claude (aider and shell have none)')
    .action(
      run(async (ctx, profile: string) => {
        const config = hooksConfig(profile);
        if (!config) {
          const reason = noHooksReason(profile);
          if (reason === null) {
            throw new AppFailure({
              kind: 'usage',
              message: `no hooks for "${profile}"`,
              hint: 'hooks exist for: codex, claude',
            });
          }
          if (ctx.json) return writeJson(ctx.io, { profile, hooks: null, reason });
          // No config to print: stdout stays empty, so `hooks aider > file` writes nothing.
          return write(ctx.io.stderr, term`${reason}\n`);
        }
        if (ctx.json) return writeJson(ctx.io, { profile, ...config });
        // Only the config on stdout (valid in its file's format, ready to redirect or pipe);
        // where it goes and what it covers is for the operator, on stderr.
        await write(
          ctx.io.stderr,
          term`control-room: for ${config.file}\n${termBlock(config.instructions)}\n`,
        );
        await write(ctx.io.stdout, termBlock(config.text));
      }),
    );
}
