import { useEffect, useMemo, useRef, useState } from 'react';
import { type ActivityHistory, EMPTY_ACTIVITY, recordActivity } from '../store/activity.js';
import { type RuntimeView, selectRuntimes } from '../store/selectors.js';
import type { AppState } from '../store/state.js';

const SPINNER_MS = 125;

/**
 * The runtimes table's data: every host's runtimes with their tickets, sorted by host and name,
 * the activity history behind the sparklines (kept while the screen is open or not), and the
 * spinner's frame, which ticks only while the table is shown and something is busy.
 */
export function useRuntimeScreen(
  state: Pick<AppState, 'runtimes' | 'tickets' | 'ticketOrder'> & Partial<Pick<AppState, 'hosts'>>,
  shown: boolean,
  now: () => number,
): { rows: RuntimeView[]; frame: number; activity: ActivityHistory['counts'] } {
  const { runtimes, tickets, ticketOrder, hosts } = state;
  const rows = useMemo(
    () =>
      selectRuntimes({ runtimes, tickets, ticketOrder, ...(hosts ? { hosts } : {}) }).sort(
        (a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name),
      ),
    [runtimes, tickets, ticketOrder, hosts],
  );
  const history = useRef<ActivityHistory>(EMPTY_ACTIVITY);
  // Sampled when the runtimes change (each sync): recordActivity returns the same history when
  // nothing moved, so this is cheap on every render.
  const seen = useRef<AppState['runtimes'] | null>(null);
  if (seen.current !== runtimes) {
    seen.current = runtimes;
    history.current = recordActivity(history.current, Object.values(runtimes), now());
  }
  const busy = rows.some((r) => r.state === 'busy');
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!shown || !busy) return;
    const timer = setInterval(() => setFrame((f) => f + 1), SPINNER_MS);
    return () => clearInterval(timer);
  }, [shown, busy]);
  return { rows, frame, activity: history.current.counts };
}
