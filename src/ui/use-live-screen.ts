import { useEffect, useRef, useState } from 'react';
import type { ScreenWatch, WatchedScreen } from '../domain/index.js';
import { useServices } from './services-context.js';

export interface LiveScreen {
  screen: WatchedScreen | null;
  /** Why the console stopped (the runtime ended, its host went away); null while live. */
  ended: string | null;
}

/**
 * A runtime's console as it changes, through its host's LiveSource: the local watcher reads the
 * screen only when tmux reports output (at most every 66 ms), a remote one when the host's output
 * stream does; an idle runtime costs nothing. `scroll` lines back into the scrollback (0: live).
 */
export function useLiveScreen(
  runtime: { host: string; id: string } | null,
  enabled: boolean,
  scroll = 0,
): LiveScreen {
  const { live } = useServices();
  const [state, setState] = useState<LiveScreen>({ screen: null, ended: null });
  const watch = useRef<ScreenWatch | null>(null);
  const host = runtime?.host;
  const id = runtime?.id;
  useEffect(() => {
    setState({ screen: null, ended: null });
    // No live consoles yet (the services start just after the first frame): wait for them.
    if (!enabled || host === undefined || id === undefined || !live) return;
    const source = live(host);
    if (!source) {
      setState({ screen: null, ended: `host ${host} offers no live console` });
      return;
    }
    let stopped = false;
    const handle = source.watchScreen(id, {
      screen: (screen) => {
        if (!stopped) setState({ screen, ended: null });
      },
      ended: (reason) => {
        if (!stopped) setState((s) => ({ screen: s.screen, ended: reason }));
      },
    });
    watch.current = handle;
    asked.current = 0;
    return () => {
      stopped = true;
      watch.current = null;
      handle.stop();
    };
  }, [live, host, id, enabled]);
  // A new watch starts live; only a change of offset asks the source again (a read each time).
  const asked = useRef(0);
  useEffect(() => {
    if (scroll === asked.current) return;
    asked.current = scroll;
    watch.current?.scrollTo(scroll);
  }, [scroll]);
  return state;
}
