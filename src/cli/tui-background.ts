import { readdirSync } from 'node:fs';
import { watchDatabaseChanges } from '../adapters/db/change-watcher.js';
import { DeliveryLoop } from '../services/dispatch/delivery-loop.js';
import { Dispatcher } from '../services/dispatch/dispatcher.js';
import { decisionText } from '../services/dispatch/input-decision.js';
import type { Action } from '../store/index.js';
import type { TuiBackground } from '../ui/run.js';
import { loadTheme } from '../ui/theme/theme.js';
import type { RuntimeRef } from '../ui/view-state.js';
import { shippedThemesDir, wantsNoColor } from './commands/tui.js';
import type { CliContext } from './context.js';
import { CliDrivers, profilesOf } from './drivers.js';
import { shellProfileRefusal, watchPickupLimits } from './pickup-limits.js';
import { terminalSize } from './terminal-size.js';
import { followHosts } from './tui-hosts.js';
import { liveServices } from './tui-live.js';

/**
 * What every open control room runs beside its screen: the same dispatcher as `dispatch`
 * (delivering waiting messages as runtimes turn idle; of several control rooms one sends each
 * message), and a watch on the database that reloads the tickets when another process changed
 * them. Nothing here writes to the terminal: Ink owns it.
 */
export async function startTuiBackground(
  ctx: CliContext,
  dispatch: (action: Action) => void,
  options: { readonly?: boolean } = {},
): Promise<TuiBackground> {
  const drivers = new CliDrivers(ctx, { live: true });
  const outbox = ctx.outbox();
  // Read-only: this control room never sends, so it runs no dispatcher (others deliver).
  const dispatcher = options.readonly
    ? null
    : new Dispatcher({
        outbox,
        processes: ctx.processes(),
        drivers,
        role: 'tui',
        attempts: ctx.config.sendAttempts,
        sendTimeoutMs: ctx.sendTimeoutMs(),
        readyTimeoutMs: ctx.config.readyTimeoutMs,
        newRuntimeSize: () => terminalSize(ctx.io),
        profileRefusal: shellProfileRefusal(ctx),
        onAction: dispatch,
      });
  // First, before anything that holds the process open: a database it cannot write to (locked
  // past the busy timeout) ends the control room with a message, not a screen that hangs.
  try {
    dispatcher?.start();
  } catch (error) {
    await drivers.close();
    throw error;
  }
  const live = await liveServices(ctx, drivers);
  const limits = watchPickupLimits(ctx, drivers);
  const loop = dispatcher ? new DeliveryLoop({ dispatcher, outbox, drivers }) : null;
  loop?.start();
  const countOutbox = () => {
    try {
      dispatch({ type: 'outbox/counted', ...outbox.counts() });
    } catch {
      // A locked database: the next count comes with the next change.
    }
  };
  countOutbox();
  const counting = setInterval(countOutbox, 2_000);
  counting.unref();
  // Every configured host's runtimes, for the pickup chooser (local ones come from the monitor),
  // following the hosts table as it changes.
  const hosts = followHosts(ctx, drivers, dispatch);
  const stopWatching = watchDatabaseChanges(ctx.database(), ctx.paths.databaseFile, () => {
    dispatch({ type: 'tickets/loaded', tickets: ctx.tickets().list() });
    countOutbox();
    void live.syncHosts(hosts.sync());
    loop?.poke();
  });
  return {
    services: {
      pickup: (key, target) =>
        dispatcher
          ? dispatcher.pickup(key, target)
          : Promise.reject(new Error('read-only (--readonly): this control room only watches')),
      profiles: Object.keys(profilesOf(ctx)),
      pickupLimits: limits.current,
      ...(dispatcher
        ? {
            settleInput: async (runtime: RuntimeRef, action: 'submit' | 'clear') =>
              decisionText(await dispatcher.settleInput(runtime, action)),
          }
        : {}),
      themes: themesOf(ctx),
      ...live.services,
    },
    stop: async () => {
      clearInterval(counting);
      limits.stop();
      hosts.stop();
      stopWatching();
      await live.stop();
      await loop?.stop();
      dispatcher?.stop();
      await drivers.close();
      ctx.close();
    },
  };
}

/** The themes `:theme` offers: the user's folder and the shipped one, by file name. */
function themesOf(ctx: CliContext) {
  const folders = [ctx.paths.userThemesDir, shippedThemesDir()];
  const names = new Set<string>();
  for (const folder of folders) {
    try {
      for (const file of readdirSync(folder))
        if (file.endsWith('.json')) names.add(file.slice(0, -5));
    } catch {
      // A folder that does not exist offers nothing.
    }
  }
  return {
    names: [...names].sort(),
    load: (name: string) => loadTheme(name, folders, wantsNoColor(ctx)),
  };
}
