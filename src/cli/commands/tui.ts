import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { databaseWritable } from '../../adapters/db/database.js';
import { AppFailure } from '../../domain/index.js';
import { withStoredTickets } from '../../services/runtime-sync.js';
import type { Attacher } from '../../ui/run.js';
import type { RuntimeRef, ViewState } from '../../ui/view-state.js';
import type { CliContext } from '../context.js';
import { liveWatcher, profilesOf, tmuxOf } from '../drivers.js';
import { say } from '../output.js';
import { term } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';

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

/**
 * Ink reads CI / CONTINUOUS_INTEGRATION once, when it loads, and then draws nothing until exit.
 * We only get here on a real terminal, where an operator is looking: load Ink without those
 * flags, and put them back for everything else (children, agents).
 */
async function loadInkInteractive() {
  const flags = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
  const saved = flags.map((flag) => [flag, process.env[flag]] as const);
  for (const flag of flags) delete process.env[flag];
  try {
    return await import('../../ui/run.js');
  } finally {
    for (const [flag, value] of saved) if (value !== undefined) process.env[flag] = value;
  }
}

/** More rows than any terminal shows: the first frame never waits for the rest. */
const FIRST_PAGE = 300;

export function needsTerminal(ctx: CliContext): void {
  if (!ctx.io.stdin.isTTY || !ctx.io.stdout.isTTY) {
    throw new AppFailure({
      kind: 'usage',
      message: 'the control room needs a terminal (standard input and output are not one)',
      hint: 'for scripts, use the subcommands: control-room tickets list --json',
    });
  }
}

export interface OpenOptions {
  /** Where the screen opens (a deep link: `watch ID`); the tickets otherwise. */
  initialView?: ViewState;
  /** `attach ID`: attached at once; detaching lands in the screen. */
  attachFirst?: RuntimeRef;
}

export async function openControlRoom(
  ctx: CliContext,
  open: OpenOptions = {},
): Promise<number | undefined> {
  needsTerminal(ctx);
  // The first frame needs the newest tickets and the counts; the rest is read just after it.
  // The screen's modules start loading first: their files are read off the main thread while
  // the database is read on it.
  const loading = Promise.all([
    loadInkInteractive(),
    import('../../ui/theme/theme.js'),
    import('../../ui/commands/bindings.js'),
    import('../../adapters/tmux/local-feed.js'),
  ]);
  // Awaited below; a failure of the database first must not leave it unhandled.
  loading.catch(() => {});
  const repository = ctx.tickets();
  const { page: tickets, totals } = repository.firstPage(FIRST_PAGE);
  // A database this user may not write is watched, not written: no dispatcher, no sends, and
  // a notice in the footer instead of a write's failure printed over the screen.
  const writable = databaseWritable(ctx.paths.databaseFile);
  const readonly = ctx.options.readonly === true || !writable;
  const [{ runTui }, { loadTheme }, { rebind }, { LocalRuntimeFeed }] = await loading;
  const name = ctx.options.theme ?? ctx.config.theme;
  const choice = await loadTheme(
    name,
    [ctx.paths.userThemesDir, shippedThemesDir()],
    wantsNoColor(ctx),
  );
  if (choice.warning) await say(ctx.io, term`${choice.warning}`);
  // The screen's monitor and its driver (in the background) share one control connection.
  const feed = new LocalRuntimeFeed(tmuxOf(ctx), profilesOf(ctx), liveWatcher(ctx));
  // Checked when the config was loaded: a bad entry never gets this far.
  const bindings = rebind(ctx.config.keys);
  await runTui({
    tickets,
    firstPage: { totals, rest: () => repository.list() },
    theme: choice.theme,
    // Tickets follow their runtimes in the database too, so other processes agree with the screen.
    feeds: [withStoredTickets(feed, repository)],
    // Loaded and started after the first frame: the screen comes up first.
    background: async (dispatch) => {
      const { startTuiBackground } = await import('../tui-background.js');
      return startTuiBackground(ctx, dispatch, { readonly });
    },
    attacher: readonly ? undefined : lazyAttacher(ctx),
    commands: bindings.commands,
    readonly,
    ...(open.initialView ? { initialView: open.initialView } : {}),
    ...(open.attachFirst ? { attachFirst: open.attachFirst } : {}),
    ...(writable ? {} : { notice: readOnlyNotice(ctx.paths.databaseFile) }),
  });
  return 0;
}

function readOnlyNotice(file: string): string {
  return `the database is read-only, so this control room only watches: give this user write access to ${file}`;
}

/** The pty layer (a native module) is loaded on the first attach, not before the first frame. */
function lazyAttacher(ctx: CliContext): Attacher {
  return {
    attach: async (runtime) => (await import('../attaching.js')).cliAttacher(ctx).attach(runtime),
  };
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
