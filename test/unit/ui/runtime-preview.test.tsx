import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { HostedRuntime, LiveSource } from '../../../src/domain/index.js';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import { ServicesProvider, type TuiServices } from '../../../src/ui/services-context.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';
import { makeRuntime } from '../helpers/tickets.js';
import { ticket, waitForFrame } from './render-app.js';

function runtime(id: string, name: string): HostedRuntime {
  return { ...makeRuntime({ id, name, state: 'idle' }), host: 'local' };
}

describe('the runtimes screen on a wide terminal', () => {
  it("shows the selected runtime's screen beside the table, without its escape sequences", async () => {
    const asked: string[] = [];
    // A fake LiveSource (the adapter interface): each watch shows one screen at once.
    const source: LiveSource = {
      host: 'local',
      watchScreen(id, listener) {
        asked.push(`local:${id}`);
        const lines = [`console of ${id}`, 'evil \u001B]0;title\u0007text', '', ''];
        queueMicrotask(() =>
          listener.screen({
            cols: 80,
            rows: 4,
            lines,
            cursor: { x: 0, y: 0 },
            history: 0,
            scroll: 0,
          }),
        );
        return { scrollTo: () => {}, stop: () => {} };
      },
      output: () => () => {},
    };
    const services: TuiServices = {
      pickup: () => Promise.reject(new Error('not here')),
      profiles: [],
      live: (host) => (host === 'local' ? source : null),
    };
    const store = createAppStore(stateWithTickets([ticket('OPS-1')]));
    store.getState().dispatch({
      type: 'runtimes/synced',
      host: 'local',
      at: '2026-11-25T07:00:00Z',
      runtimes: [runtime('rt_1', 'alpha'), runtime('rt_2', 'beta')],
    });
    const { lastFrame, stdin, stdout, unmount } = render(
      <Providers store={store} theme={NO_COLOR_THEME}>
        <ServicesProvider services={services}>
          <App now={() => Date.parse('2026-11-25T07:00:00Z')} />
        </ServicesProvider>
      </Providers>,
    );
    Object.defineProperty(stdout, 'columns', { value: 180, configurable: true });
    stdout.emit('resize');
    stdin.write('r');
    const first = await waitForFrame(lastFrame, (f) => f.includes('console of rt_1'));
    expect(first).toContain('evil text');
    expect(first).not.toContain('\u001B]0;');
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => f.includes('console of rt_2'));
    expect(asked).toContain('local:rt_2');
    unmount();
  });
});
