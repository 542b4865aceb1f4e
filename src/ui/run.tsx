import { type Instance, render } from 'ink';
import { type ReactNode, useEffect, useState } from 'react';
import type { RuntimeFeed, Ticket, TicketTotals } from '../domain/index.js';
import { syncRuntimes } from '../services/runtime-sync.js';
import type { Action } from '../store/index.js';
import { createAppStore, stateWithFirstPage, stateWithTickets } from '../store/index.js';
import { App } from './App.js';
import { type CommandDef, setActiveCommands } from './commands/registry.js';
import { ServicesProvider, type TuiServices } from './services-context.js';
import { Providers } from './store-context.js';
import type { Theme } from './theme/theme.js';
import { INITIAL_VIEW, type RuntimeRef, type ViewState } from './view-state.js';

export interface TuiOptions {
  tickets: readonly Ticket[];
  /**
   * When `tickets` is only the newest page: the counts of them all, for the first frame, and how
   * to read the rest, which is done right after that frame.
   */
  firstPage?: { totals: TicketTotals; rest: () => readonly Ticket[] };
  theme: Theme;
  /** Live runtime sources, synced into the store while the control room is open. */
  feeds?: readonly RuntimeFeed[];
  /**
   * Work that runs beside the screen and reports into its store (the dispatcher, other
   * processes' changes); started once the first frame is out. Returns how to stop it, awaited
   * before the control room closes.
   */
  background?: (dispatch: (action: Action) => void) => TuiBackground | Promise<TuiBackground>;
  /** The command table with the config's keys (commands/bindings.ts); the defaults without. */
  commands?: readonly CommandDef[];
  /** Where the screen opens: the tickets, or a deep link (`control-room watch ID`). */
  initialView?: ViewState;
  /** How the operator's terminal is handed to a runtime; without it attaching is unavailable. */
  attacher?: Attacher;
  /** `--readonly`: nothing that sends, attaches or closes. */
  readonly?: boolean;
  /** `control-room attach ID`: attached before the screen is first drawn; detaching lands in it. */
  attachFirst?: RuntimeRef;
  /** What the screen says once it is up, in its footer (a read-only database, say). */
  notice?: string;
  /** The terminal's streams; the process's own without (tests hand in theirs). */
  terminal?: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };
}

/** What runs beside the screen: the services it offers the screen, and how to stop it. */
export interface TuiBackground {
  services: TuiServices;
  stop(): Promise<void>;
}

/**
 * Hands the terminal to a runtime (Ink is unmounted by then) and resolves when the operator is
 * back, with what to tell them (detached, the runtime ended, how to come back from tmux).
 */
export interface Attacher {
  attach(runtime: RuntimeRef): Promise<string>;
}

/**
 * Hands the screen its services as they change (once, when the background is up): the screen
 * holds them in state and listens while mounted, so an update after it closed goes nowhere.
 */
export class ServicesChannel {
  private listener: ((services: TuiServices) => void) | null = null;
  constructor(readonly current: () => TuiServices) {}
  listen(listener: (services: TuiServices) => void): () => void {
    this.listener = listener;
    // Anything published before the screen listened.
    listener(this.current());
    return () => {
      this.listener = null;
    };
  }
  publish(): void {
    this.listener?.(this.current());
  }
}

export function ChannelledServices({
  channel,
  children,
}: {
  channel: ServicesChannel;
  children: ReactNode;
}) {
  const [services, setServices] = useState(channel.current);
  useEffect(() => channel.listen(setServices), [channel]);
  return <ServicesProvider services={services}>{children}</ServicesProvider>;
}

/** Until the background is up (a few ms after the first frame), a pickup says so. */
const STARTING: TuiServices = {
  pickup: () => Promise.reject(new Error('the control room is still starting; try again')),
  profiles: [],
};

// Ctrl-C must reach an attached agent, so quitting is a command of ours. Incremental: a key
// press rewrites the lines that changed (~0.4 KB, not a 5 KB frame), which matters over SSH.
// Ink 6.8 needs scripts/ink-incremental-fix.mjs for it (the bundle has it).
const RENDER_OPTIONS = {
  exitOnCtrlC: false,
  incrementalRendering: true,
  maxFps: 30,
  patchConsole: false,
} as const;

/**
 * Opens the control room on the stored tickets and resolves when the operator quits. An attach
 * unmounts the screen, runs the runtime's terminal, and draws the screen again on the view it
 * left (same store, same theme, same selection).
 */
export async function runTui(options: TuiOptions): Promise<void> {
  const { tickets, feeds = [], background, commands, attacher, readonly = false } = options;
  if (commands) setActiveCommands(commands);
  const store = createAppStore(
    options.firstPage
      ? stateWithFirstPage(tickets, options.firstPage.totals)
      : stateWithTickets(tickets),
  );
  const dispatch = store.getState().dispatch;
  let theme = options.theme;
  let view = options.initialView ?? INITIAL_VIEW;
  let services = STARTING;
  let greeting: string | null = options.notice ?? null;
  let stops: (() => void)[] = [];
  let running: TuiBackground | undefined;
  let first = true;
  const attachAndTell = (runtime: RuntimeRef, to: Attacher) =>
    to.attach(runtime).catch((error: unknown) => `attach failed: ${(error as Error).message}`);
  if (options.attachFirst && attacher)
    greeting = await attachAndTell(options.attachFirst, attacher);
  try {
    for (;;) {
      let request: { runtime: RuntimeRef; view: ViewState } | null = null;
      let instance: Instance | null = null;
      const offered = (): TuiServices => ({
        ...services,
        readonly,
        greeting,
        attach:
          attacher && !readonly
            ? (runtime, at) => {
                request = { runtime, view: at };
                instance?.unmount();
              }
            : undefined,
      });
      const channel = new ServicesChannel(offered);
      instance = render(
        <Providers store={store} theme={theme} onTheme={(next) => (theme = next)}>
          <ChannelledServices channel={channel}>
            <App initialView={view} />
          </ChannelledServices>
        </Providers>,
        { ...RENDER_OPTIONS, ...options.terminal },
      );
      // Ink 6.8 makes its exit promise on the first waitUntilExit(), and an exit before that
      // resolves nothing: asked for now, a quit while the background still starts is not lost.
      const exited = instance.waitUntilExit();
      // Awaited below, after the background's start; an exit with an error meanwhile is not lost.
      exited.catch(() => {});
      if (first) {
        first = false;
        // The first frame goes out before the monitor, the dispatcher and the hosts start.
        await new Promise((resolve) => setImmediate(resolve));
        if (store.getState().ticketTotals && options.firstPage) {
          dispatch({ type: 'tickets/loaded', tickets: options.firstPage.rest() });
        }
        stops = feeds.map((feed) => syncRuntimes(feed, dispatch));
        try {
          running = await background?.(dispatch);
        } catch (error) {
          // Said on a terminal Ink has given back, not printed over the frame it still holds.
          instance.unmount();
          await exited.catch(() => {});
          throw error;
        }
        services = running?.services ?? services;
        // Through state, not a rerender: a quit (or an attach) meanwhile has unmounted the
        // screen, and Ink's rerender would mount it anew, keyboard and all.
        channel.publish();
      }
      await exited;
      const asked = request as { runtime: RuntimeRef; view: ViewState } | null;
      if (!asked || !attacher) break;
      view = asked.view;
      greeting = await attachAndTell(asked.runtime, attacher);
    }
  } finally {
    for (const stop of stops) stop();
    await running?.stop();
  }
}
