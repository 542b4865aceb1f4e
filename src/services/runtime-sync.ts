import {
  isoNow,
  type RuntimeFeed,
  type RuntimeListener,
  type Ticket,
  type TicketState,
} from '../domain/index.js';
import type { Action } from '../store/index.js';
import { followRuntime, type RuntimeCondition, ticketStateGiven } from '../store/ticket-follow.js';

/**
 * Feeds a host's runtimes into the store: each list as `runtimes/synced`, each observed state
 * change as `runtime/stateChanged`; bound tickets follow both by the same rule (ticket-follow.ts).
 * Returns the way to stop.
 */
export function syncRuntimes(
  feed: RuntimeFeed,
  dispatch: (action: Action) => void,
  now: () => string = isoNow,
): () => void {
  feed.start({
    runtimes: (list) => {
      dispatch({
        type: 'runtimes/synced',
        host: feed.host,
        runtimes: list.map((runtime) => ({ ...runtime, host: feed.host })),
        at: now(),
      });
      // A list read is a host reached (the reducer ignores a health that did not change).
      dispatch({ type: 'host/health', host: feed.host, ok: true, detail: '' });
    },
    unreachable: (detail) => dispatch({ type: 'host/health', host: feed.host, ok: false, detail }),
    stateChanged: (id, state) =>
      dispatch({ type: 'runtime/stateChanged', host: feed.host, id, state, at: now() }),
  });
  return () => feed.stop();
}

/** The stored tickets, as far as following runtimes needs them (the ticket repository). */
export interface FollowingTickets {
  /** The in-progress and needs-input tickets bound to a runtime of `host`. */
  followers(host: string): { key: string; state: TicketState; runtimeId: string }[];
  /** Reads the ticket, applies `change`, writes it if it changed: one transaction. */
  update(key: string, change: (ticket: Ticket) => Ticket): unknown;
}

/**
 * The feed, with every list and observed change also applied to the stored tickets, so that
 * `tickets list` in another process (and every other control room) agrees with the screen. The
 * stored ticket is read again inside the write, so two control rooms on one database move it
 * once. A write that fails (a locked or read-only database) is left to the next list: a list is
 * the whole truth of its host, and the rule gives the same answer from it.
 */
export function withStoredTickets(
  feed: RuntimeFeed,
  tickets: FollowingTickets,
  now: () => string = isoNow,
): RuntimeFeed {
  /** `seen` says what is known of one runtime: its condition and name, or null to skip it. */
  const follow = (seen: (runtimeId: string) => Seen | null) => {
    try {
      const at = now();
      for (const { key, state, runtimeId } of tickets.followers(feed.host)) {
        const runtime = seen(runtimeId);
        // Only a ticket the rule moves is written (read again inside the write): a list a
        // second while agents work costs one query, not a write lock a ticket.
        if (runtime === null || ticketStateGiven(state, runtime.condition) === state) continue;
        tickets.update(key, (ticket) => {
          const name = runtime.name ?? ticket.runtime?.name ?? runtimeId;
          return followRuntime(ticket, runtime.condition, name, at);
        });
      }
    } catch {
      // See above: the next list writes it.
    }
  };
  return {
    host: feed.host,
    start(listener: RuntimeListener) {
      feed.start({
        ...listener,
        runtimes: (list) => {
          listener.runtimes(list);
          const byId = new Map(list.map((runtime) => [runtime.id, runtime]));
          follow((id) => {
            const runtime = byId.get(id);
            return runtime
              ? { condition: runtime.state, name: runtime.name }
              : { condition: 'gone', name: null };
          });
        },
        stateChanged: (id, state) => {
          listener.stateChanged(id, state);
          follow((runtimeId) => (runtimeId === id ? { condition: state, name: null } : null));
        },
      });
    },
    stop: () => feed.stop(),
  };
}

interface Seen {
  condition: RuntimeCondition;
  /** Null when not reported (an observed change, a runtime gone): the binding's name is used. */
  name: string | null;
}
