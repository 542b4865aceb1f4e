import { render } from 'ink-testing-library';
import type { Ticket } from '../../../src/domain/index.js';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME, type Theme } from '../../../src/ui/theme/theme.js';
import { makeTicket } from '../helpers/tickets.js';

/** Renders the control room on its own store, as each test needs. */
export function renderApp(tickets: readonly Ticket[], theme: Theme = NO_COLOR_THEME) {
  const store = createAppStore(stateWithTickets(tickets));
  const now = Date.parse('2026-11-25T07:00:00Z');
  const instance = render(
    <Providers store={store} theme={theme}>
      <App now={() => now} />
    </Providers>,
  );
  return { ...instance, store };
}

/** A ticket for the screen tests (the shared factory, keyed). */
export function ticket(key: string, overrides: Partial<Ticket> = {}): Ticket {
  return makeTicket({ key, title: `title of ${key}`, ...overrides });
}

/** Resolves once the frame satisfies `check`, or fails with the last frame after a deadline. */
export async function waitForFrame(
  lastFrame: () => string | undefined,
  check: (frame: string) => boolean,
  timeoutMs = 2000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (check(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${frame}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const KEYS = { down: '\u001B[B', up: '\u001B[A', escape: '\u001B', pageDown: '\u001B[6~' };
