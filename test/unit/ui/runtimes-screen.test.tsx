import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { HostedRuntime } from '../../../src/domain/index.js';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';
import { makeRuntime } from '../helpers/tickets.js';
import { KEYS, ticket, waitForFrame } from './render-app.js';

const NOW = Date.parse('2026-11-25T07:00:00Z');

function runtime(id: string, name: string, state: HostedRuntime['state']): HostedRuntime {
  return { ...makeRuntime({ id, name, state }), host: 'local' };
}

const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('the runtimes screen', () => {
  it('r shows every runtime with its state; j moves there; t and Esc go back to the tickets', async () => {
    const store = createAppStore(stateWithTickets([ticket('OPS-1')]));
    store.getState().dispatch({
      type: 'runtimes/synced',
      host: 'local',
      at: '2026-11-25T07:00:00Z',
      runtimes: [runtime('rt_1', 'alpha', 'idle'), runtime('rt_2', 'beta', 'needs_input')],
    });
    const { lastFrame, stdin, unmount } = render(
      <Providers store={store} theme={NO_COLOR_THEME}>
        <App now={() => NOW} />
      </Providers>,
    );
    stdin.write('r');
    const table = await waitForFrame(lastFrame, (f) => f.includes('2 runtimes'));
    expect(table).toContain('1 need input');
    expect(selectedLine(table)).toContain('alpha');
    expect(table).toMatch(/beta.*needs input/);
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => selectedLine(f).includes('beta'));
    // p is a ticket command: on this screen it does nothing, and says nothing.
    stdin.write('t');
    const back = await waitForFrame(lastFrame, (f) => f.includes('1 tickets'));
    expect(selectedLine(back)).toContain('OPS-1');
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => selectedLine(f).includes('beta')); // kept its selection
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => f.includes('1 tickets'));
    unmount();
  });

  it('says how to start one when there are none', async () => {
    const store = createAppStore(stateWithTickets([ticket('OPS-1')]));
    const { lastFrame, stdin, unmount } = render(
      <Providers store={store} theme={NO_COLOR_THEME}>
        <App now={() => NOW} />
      </Providers>,
    );
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('No runtimes yet'));
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => f.includes('move down: no runtimes'));
    unmount();
  });
});
