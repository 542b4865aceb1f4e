import type { Command } from 'commander';
import { AppFailure, sanitizeLine } from '../../domain/index.js';
import { parseRuntimeTarget } from '../../services/dispatch/target.js';
import { INITIAL_VIEW, type RuntimeRef, type ViewState } from '../../ui/view-state.js';
import type { CliContext } from '../context.js';
import { CliDrivers } from '../drivers.js';
import type { CommandRunner } from './runner.js';
import { needsTerminal, openControlRoom } from './tui.js';

/** `[HOST:]ID` (an id or a session name) as the host lists it now; a clear error when it does not. */
async function findRuntime(ctx: CliContext, text: string): Promise<RuntimeRef> {
  const { host, runtime } = parseRuntimeTarget(text);
  const drivers = new CliDrivers(ctx);
  try {
    const driver = await drivers.driver(host);
    const list = await driver.list();
    const found = list.find((r) => r.id === runtime || r.name === runtime);
    if (!found) {
      throw new AppFailure({
        kind: 'not_found',
        message: `no runtime ${sanitizeLine(runtime)} on ${host}`,
        hint: `control-room runtimes list shows them${host === 'local' ? '' : ` (--host ${host})`}`,
      });
    }
    return { host, id: found.id, name: found.name };
  } finally {
    await drivers.close();
  }
}

/** The runtimes table, with `runtime` watched full screen. */
function watching(runtime: RuntimeRef): ViewState {
  return { ...INITIAL_VIEW, screen: 'runtimes', watch: { ...runtime, scroll: 0 } };
}

/** Deep links (`cli.md`): straight to one runtime's live console, or attached to it at once. */
export function registerWatchCommands(program: Command, run: CommandRunner): void {
  program
    .command('watch')
    .description('the TUI, opened on the full-screen live console of one runtime')
    .argument('<runtime>', '[HOST:]ID or a session name')
    .action(
      run(async (ctx, target: string) => {
        needsTerminal(ctx);
        return openControlRoom(ctx, { initialView: watching(await findRuntime(ctx, target)) });
      }),
    );
  program
    .command('attach')
    .description('attach to one runtime at once; the detach key lands in the TUI')
    .argument('<runtime>', '[HOST:]ID or a session name')
    .action(
      run(async (ctx, target: string) => {
        needsTerminal(ctx);
        if (ctx.options.readonly) {
          throw new AppFailure({
            kind: 'usage',
            message: 'attach: read-only (--readonly): this control room only watches',
            hint: `control-room --readonly watch ${target} shows its console`,
          });
        }
        const runtime = await findRuntime(ctx, target);
        return openControlRoom(ctx, { initialView: watching(runtime), attachFirst: runtime });
      }),
    );
}
