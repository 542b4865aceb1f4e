import { render } from 'ink-testing-library';
import type {
  HostedRuntime,
  LiveSource,
  ScreenWatchListener,
  Ticket,
  WatchedScreen,
} from '../../../src/domain/index.js';
import type { PickupTarget } from '../../../src/services/dispatch/target.js';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import { ServicesProvider, type TuiServices } from '../../../src/ui/services-context.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME, type Theme } from '../../../src/ui/theme/theme.js';
import type { RuntimeRef, ViewState } from '../../../src/ui/view-state.js';
import { makeRuntime } from '../helpers/tickets.js';

/**
 * The watch, insert and attach tests' world: a real store with runtimes on `local`, and fake
 * services that record what the screen asked of them (never doing it), with a fake LiveSource
 * whose screens the test writes.
 */

export const NOW = Date.parse('2026-11-25T07:00:00Z');
const AT = '2026-11-25T07:00:00Z';

export function runtime(id: string, name: string): HostedRuntime {
  return { ...makeRuntime({ id, name, state: 'idle', lastActivityAt: AT }), host: 'local' };
}

/** One watchScreen call on the fake source: its listener, and every scrollTo it was given. */
export interface FakeWatch {
  id: string;
  listener: ScreenWatchListener;
  scrolls: number[];
  stopped: boolean;
}

/**
 * A LiveSource whose screens come from `screenOf(id, scroll)`: one at once on each watch, and one
 * again on each scrollTo (as the real watchers answer a scroll with the screen there).
 */
export function fakeLiveSource(screenOf: (id: string, scroll: number) => WatchedScreen) {
  const watches: FakeWatch[] = [];
  const source: LiveSource = {
    host: 'local',
    watchScreen(id, listener) {
      const watch: FakeWatch = { id, listener, scrolls: [], stopped: false };
      watches.push(watch);
      queueMicrotask(() => {
        if (!watch.stopped) listener.screen(screenOf(id, 0));
      });
      return {
        scrollTo(offset) {
          watch.scrolls.push(offset);
          queueMicrotask(() => {
            if (!watch.stopped) listener.screen(screenOf(id, offset));
          });
        },
        stop() {
          watch.stopped = true;
        },
      };
    },
    output: () => () => {},
  };
  return { source, watches };
}

/** A screen of `lines` padded to `rows`, with `history` lines of scrollback. */
export function screenOf(
  lines: readonly string[],
  options: { rows?: number; history?: number; scroll?: number } = {},
): WatchedScreen {
  const rows = options.rows ?? Math.max(lines.length, 4);
  const padded = [...lines, ...Array.from({ length: rows - lines.length }, () => '')];
  return {
    cols: 80,
    rows,
    lines: padded,
    cursor: { x: 0, y: Math.max(0, lines.length - 1) },
    history: options.history ?? 0,
    scroll: options.scroll ?? 0,
  };
}

/** What the screen asked of the services: none of it is carried out. */
export interface ServiceCalls {
  pickup: { key: string; target: PickupTarget }[];
  sendLine: { runtime: RuntimeRef; text: string }[];
  attach: { runtime: RuntimeRef; view: ViewState }[];
}

export function fakeServices(options: { readonly?: boolean; live?: LiveSource } = {}) {
  const { live } = options;
  const calls: ServiceCalls = { pickup: [], sendLine: [], attach: [] };
  const services: TuiServices = {
    profiles: ['sim'],
    pickup: (key, target) => {
      calls.pickup.push({ key, target });
      return new Promise(() => {});
    },
    sendLine: async (runtime, text) => {
      calls.sendLine.push({ runtime, text });
    },
    attach: (runtime, view) => {
      calls.attach.push({ runtime, view });
    },
    ...(live ? { live: (host: string) => (host === 'local' ? live : null) } : {}),
    ...(options.readonly ? { readonly: true } : {}),
  };
  return { services, calls };
}

/** The control room on its own store, with `runtimes` on `local` and the given services. */
export function renderRoom(options: {
  tickets?: readonly Ticket[];
  runtimes?: readonly HostedRuntime[];
  services: TuiServices;
  theme?: Theme;
}) {
  const store = createAppStore(stateWithTickets(options.tickets ?? []));
  store.getState().dispatch({
    type: 'runtimes/synced',
    host: 'local',
    at: AT,
    runtimes: [...(options.runtimes ?? [])],
  });
  const instance = render(
    <Providers store={store} theme={options.theme ?? NO_COLOR_THEME}>
      <ServicesProvider services={options.services}>
        <App now={() => NOW} />
      </ServicesProvider>
    </Providers>,
  );
  return { ...instance, store };
}

/** The last line of a frame: the footer, where hints and notices are. */
export function footerOf(frame: string): string {
  const lines = frame.split('\n');
  return lines[lines.length - 1] ?? '';
}

export const PAGE_UP = '\u001B[5~';
export const ENTER = '\r';
