import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AppFailure } from '../../domain/index.js';
import type { CliContext } from '../context.js';
import { say } from '../output.js';
import type { CommandRunner } from './runner.js';
import { profilesOf, tmuxOf } from './runtimes.js';

/** The shipped `themes/` folder, beside `dist/` when bundled, at the repository root from source. */
export function shippedThemesDir(): string {
  const candidates = ['../themes/', '../../../themes/'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(`${dir}dark.json`)) ?? (candidates[0] as string);
}

export function wantsNoColor(ctx: CliContext): boolean {
  return ctx.options.color === false || (ctx.env.NO_COLOR ?? '') !== '';
}

async function openControlRoom(ctx: CliContext): Promise<number | undefined> {
  if (!ctx.io.stdin.isTTY || !ctx.io.stdout.isTTY) {
    throw new AppFailure({
      kind: 'usage',
      message: 'the control room needs a terminal (standard input and output are not one)',
      hint: 'for scripts, use the subcommands: control-room tickets list --json',
    });
  }
  const tickets = ctx.tickets().list();
  ctx.close();
  const [{ runTui }, { loadTheme }] = await Promise.all([
    import('../../ui/run.js'),
    import('../../ui/theme/theme.js'),
  ]);
  const name = ctx.options.theme ?? ctx.config.theme;
  const choice = await loadTheme(
    name,
    [ctx.paths.userThemesDir, shippedThemesDir()],
    wantsNoColor(ctx),
  );
  if (choice.warning) await say(ctx.io, choice.warning);
  const { LocalRuntimeFeed } = await import('../../adapters/tmux/local-feed.js');
  const feed = new LocalRuntimeFeed(tmuxOf(ctx), profilesOf(ctx));
  await runTui({ tickets, theme: choice.theme, feeds: [feed] });
  return 0;
}

export function registerTuiCommand(program: Command, run: CommandRunner): void {
  // Without a subcommand the control room opens; a word that is no subcommand is a typo.
  program.allowExcessArguments(true).action(
    run(async (ctx) => {
      const [word] = program.args;
      if (word !== undefined) {
        const known = program.commands.map((c) => c.name()).join(', ');
        throw new AppFailure({
          kind: 'usage',
          message: `unknown command "${word}"`,
          hint: `the commands are: ${known} (control-room --help)`,
        });
      }
      return openControlRoom(ctx);
    }),
  );
}
