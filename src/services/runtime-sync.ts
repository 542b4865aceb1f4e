import { isoNow, type RuntimeFeed } from '../domain/index.js';
import type { Action } from '../store/index.js';

/**
 * Feeds a host's runtimes into the store: each list as `runtimes/synced` (which never rewrites a
 * todo or needs-input ticket), each observed state change as `runtime/stateChanged` (the only way
 * a needs-input ticket resumes). Returns the way to stop.
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
