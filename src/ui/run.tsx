import { render } from 'ink';
import type { RuntimeFeed, Ticket } from '../domain/index.js';
import { syncRuntimes } from '../services/runtime-sync.js';
import type { Action } from '../store/index.js';
import { createAppStore, stateWithTickets } from '../store/index.js';
import { App } from './App.js';
import { type CommandDef, setActiveCommands } from './commands/registry.js';
import { NO_SERVICES, ServicesProvider, type TuiServices } from './services-context.js';
import { Providers } from './store-context.js';
import type { Theme } from './theme/theme.js';

export interface TuiOptions {
  tickets: readonly Ticket[];
  theme: Theme;
  /** Live runtime sources, synced into the store while the control room is open. */
  feeds?: readonly RuntimeFeed[];
  /**
   * Work that runs beside the screen and reports into its store (the dispatcher, other
   * processes' changes); returns how to stop it, awaited before the control room closes.
   */
  background?: (dispatch: (action: Action) => void) => TuiBackground;
  /** The command table with the config's keys (commands/bindings.ts); the defaults without. */
  commands?: readonly CommandDef[];
}

/** What runs beside the screen: the services it offers the screen, and how to stop it. */
export interface TuiBackground {
  services: TuiServices;
  stop(): Promise<void>;
}

/** Opens the control room on the stored tickets and resolves when the operator quits. */
export async function runTui({
  tickets,
  theme,
  feeds = [],
  background,
  commands,
}: TuiOptions): Promise<void> {
  if (commands) setActiveCommands(commands);
  const store = createAppStore(stateWithTickets(tickets));
  const dispatch = store.getState().dispatch;
  const stops = feeds.map((feed) => syncRuntimes(feed, dispatch));
  const running = background?.(dispatch);
  const instance = render(
    <Providers store={store} theme={theme}>
      <ServicesProvider services={running?.services ?? NO_SERVICES}>
        <App />
      </ServicesProvider>
    </Providers>,
    // Ctrl-C must reach an attached agent later on, so quitting is a command of ours.
    // Incremental: a key press rewrites the lines that changed (~0.4 KB, not a 5 KB frame), which
    // matters over SSH. Ink 6.8 needs scripts/ink-incremental-fix.mjs for it (the bundle has it).
    { exitOnCtrlC: false, incrementalRendering: true, maxFps: 30, patchConsole: false },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    for (const stop of stops) stop();
    await running?.stop();
  }
}
