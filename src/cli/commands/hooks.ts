import type { Command } from 'commander';
import { hooksConfig, noHooksReason } from '../../adapters/tmux/hooks.js';
import { AppFailure } from '../../domain/index.js';
import { write, writeJson } from '../output.js';
import type { CommandRunner } from './runner.js';

export function registerHooksCommand(program: Command, run: CommandRunner): void {
  program
    .command('hooks')
    .description('print the agent configuration that reports its state to tmux (@agent_state)')
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
          return write(ctx.io.stdout, `${reason}\n`);
        }
        if (ctx.json) return writeJson(ctx.io, { profile, ...config });
        await write(
          ctx.io.stdout,
          `# ${config.file}\n${config.text}\n\n# ${config.instructions}\n`,
        );
      }),
    );
}
