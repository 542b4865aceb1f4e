import { HostPollingFeed } from '../adapters/http/polling-feed.js';
import { isoNow } from '../domain/index.js';
import { syncRuntimes, withStoredTickets } from '../services/runtime-sync.js';
import type { Action } from '../store/index.js';
import type { CliContext } from './context.js';
import type { CliDrivers } from './drivers.js';

export interface HostFollower {
  /** Reads the hosts table again: a host added since is fed in, one removed stops. */
  sync(): string[];
  stop(): void;
}

/**
 * Every configured host's runtimes, fed into the store as the hosts table says now, not as it
 * said at start: `control-room hosts add` from another terminal shows in an open control room
 * with its next database change. A removed host's runtimes are marked gone.
 */
export function followHosts(
  ctx: CliContext,
  drivers: CliDrivers,
  dispatch: (action: Action) => void,
): HostFollower {
  const feeds = new Map<string, () => void>();
  const sync = (): string[] => {
    let names: string[];
    try {
      names = ctx
        .hosts()
        .list()
        .map((record) => record.name);
    } catch {
      // A locked database: the next change tries again.
      return [...feeds.keys()];
    }
    for (const name of names) {
      if (feeds.has(name)) continue;
      const feed = new HostPollingFeed(name, () => drivers.driver(name));
      feeds.set(name, syncRuntimes(withStoredTickets(feed, ctx.tickets()), dispatch));
    }
    for (const [name, stop] of feeds) {
      if (names.includes(name)) continue;
      stop();
      feeds.delete(name);
      drivers.forget(name);
      dispatch({ type: 'runtimes/synced', host: name, runtimes: [], at: isoNow() });
    }
    return names;
  };
  sync();
  return {
    sync,
    stop: () => {
      for (const stop of feeds.values()) stop();
      feeds.clear();
    },
  };
}
