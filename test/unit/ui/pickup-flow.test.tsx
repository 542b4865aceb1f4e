import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { HostedRuntime, SendError, Ticket } from '../../../src/domain/index.js';
import { AppFailure } from '../../../src/domain/index.js';
import type { PickupOutcome } from '../../../src/services/dispatch/dispatcher.js';
import type { PickupTarget } from '../../../src/services/dispatch/target.js';
import { type AppStoreApi, createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import { ServicesProvider, type TuiServices } from '../../../src/ui/services-context.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';
import { makeRuntime } from '../helpers/tickets.js';
import { KEYS, ticket, waitForFrame } from './render-app.js';

/**
 * The pickup flow on the screen, against a real store and a fake dispatcher that answers as it
 * is told and dispatches the Actions the real one would.
 */

const NOW = Date.parse('2026-11-25T07:00:00Z');
const AT = '2026-11-25T07:00:00Z';
const QUIET = '2026-11-25T06:50:00Z';
/** The ticket a busy runtime works on, in the queue test. */
const HOLDER = 'OPS-4';

interface Call {
  key: string;
  target: PickupTarget;
  answer(outcome: 'delivered' | 'adopted' | 'queued' | SendError | AppFailure): void;
}

function fakeServices(store: () => AppStoreApi) {
  const calls: Call[] = [];
  const services: TuiServices = {
    profiles: ['codex', 'sim'],
    pickup: (key, target) =>
      new Promise<PickupOutcome>((resolve, reject) => {
        calls.push({
          key,
          target,
          answer: (outcome) => {
            if (outcome instanceof AppFailure) return reject(outcome);
            const runtime = {
              host: target.host,
              id: target.kind === 'existing' ? target.runtime : 'rt_new',
              name: 'agent-1',
            };
            const base = { ticketKey: key, messageId: 'm1', runtime, at: AT };
            const s = store().getState();
            if (outcome === 'delivered') s.dispatch({ type: 'send/delivered', ...base });
            else if (outcome === 'adopted') {
              s.dispatch({ type: 'send/failed', ...base, error: busy() });
            } else if (outcome === 'queued') {
              s.dispatch({ type: 'send/failed', ...base, error: busy(), heldBy: HOLDER });
            } else s.dispatch({ type: 'send/failed', ...base, error: outcome });
            const t = store().getState().tickets[key] as Ticket;
            if (outcome === 'delivered') resolve({ kind: 'delivered', ticket: t, messageId: 'm1' });
            else if (outcome === 'adopted')
              resolve({ kind: 'adopted', ticket: t, messageId: 'm1' });
            else if (outcome === 'queued')
              resolve({ kind: 'queued', ticket: t, messageId: 'm1', after: HOLDER });
            else resolve({ kind: 'failed', ticket: t, error: outcome, messageId: 'm1' });
          },
        });
      }),
  };
  return { services, calls };
}

function busy(): SendError {
  return { kind: 'busy', host: 'local', status: 409, message: 'working' };
}

function runtime(id: string, name: string, state: HostedRuntime['state']): HostedRuntime {
  return { ...makeRuntime({ id, name, state, lastActivityAt: QUIET }), host: 'local' };
}

function renderWith(tickets: Ticket[], runtimes: HostedRuntime[]) {
  const store = createAppStore(stateWithTickets(tickets));
  store.getState().dispatch({ type: 'runtimes/synced', host: 'local', runtimes, at: AT });
  const fake = fakeServices(() => store);
  const instance = render(
    <Providers store={store} theme={NO_COLOR_THEME}>
      <ServicesProvider services={fake.services}>
        <App now={() => NOW} />
      </ServicesProvider>
    </Providers>,
  );
  return { ...instance, store, calls: fake.calls };
}

const rowOf = (frame: string, key: string) => frame.split('\n').find((l) => l.includes(key)) ?? '';

describe('picking a ticket up on the screen', () => {
  it('p lists idle runtimes and new ones per profile; Enter sends; the row shows the outcome', async () => {
    const { lastFrame, stdin, calls, unmount } = renderWith(
      [ticket('OPS-1', { title: 'fix the send path' })],
      [runtime('rt_1', 'agent-1', 'idle'), runtime('rt_2', 'agent-2', 'busy')],
    );
    stdin.write('p');
    const chooser = await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-1 up'));
    expect(chooser).toContain('local:agent-1');
    // Working and bound to nothing: offered after the idle one, a pickup adopts it.
    const lines = chooser.split('\n');
    const busyAt = lines.findIndex((l) => l.includes('local:agent-2'));
    expect(lines[busyAt]).toContain('busy · adopt it');
    expect(busyAt).toBeGreaterThan(lines.findIndex((l) => l.includes('local:agent-1')));
    expect(chooser).toContain('new runtime: codex (local)');
    expect(chooser).toContain('new runtime: sim (local)');
    stdin.write('\r');
    const sending = await waitForFrame(lastFrame, (f) => rowOf(f, 'OPS-1').includes('sending…'));
    expect(sending).not.toContain('Pick OPS-1 up');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.target).toEqual({ kind: 'existing', host: 'local', runtime: 'rt_1' });
    calls[0]?.answer('delivered');
    const done = await waitForFrame(lastFrame, (f) =>
      f.includes('OPS-1 delivered to local:agent-1'),
    );
    expect(rowOf(done, 'OPS-1')).toContain('in progress');
    expect(rowOf(done, 'OPS-1')).toContain('agent-1');
    unmount();
  });

  it('offers a runtime busy with another ticket; Enter queues behind it, and the row says so', async () => {
    const holder = ticket(HOLDER, {
      state: 'in_progress',
      runtime: { host: 'local', id: 'rt_2', name: 'agent-2', adopted: false },
    });
    const { lastFrame, stdin, calls, unmount } = renderWith(
      [ticket('OPS-6'), holder],
      [runtime('rt_2', 'agent-2', 'busy')],
    );
    stdin.write('p');
    const chooser = await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-6 up'));
    expect(rowOf(chooser, 'local:agent-2')).toContain(`busy · after ${HOLDER}`);
    expect(rowOf(chooser, 'local:agent-2')).toMatch(/^›/);
    stdin.write('\r');
    await waitForFrame(lastFrame, () => calls.length === 1);
    expect(calls[0]?.target).toEqual({ kind: 'existing', host: 'local', runtime: 'rt_2' });
    calls[0]?.answer('queued');
    const queued = await waitForFrame(lastFrame, (f) =>
      rowOf(f, 'OPS-6').includes(`queued on agent-2 after ${HOLDER}`),
    );
    expect(rowOf(queued, 'OPS-6')).toContain('in progress');
    expect(rowOf(queued, HOLDER)).toContain('agent-2');
    // Its page says the same, by the runtime's name and the ticket it waits behind.
    stdin.write('\r');
    const page = await waitForFrame(lastFrame, (f) => f.includes('Messages'));
    expect(page).toMatch(
      new RegExp(`^runtime +queued on agent-2 after ${HOLDER}: delivered when`, 'm'),
    );
    unmount();
  });

  it('the second choice starts a new runtime; Esc closes the chooser without sending', async () => {
    const { lastFrame, stdin, calls, unmount } = renderWith([ticket('OPS-1')], []);
    stdin.write('p');
    await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-1 up'));
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => !f.includes('Pick OPS-1 up'));
    expect(calls).toHaveLength(0);
    stdin.write('p');
    await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-1 up'));
    stdin.write('j');
    await waitForFrame(lastFrame, (f) =>
      (f.split('\n').find((l) => l.startsWith('›')) ?? '').includes('sim'),
    );
    stdin.write('\r');
    await waitForFrame(lastFrame, () => calls.length === 1);
    expect(calls[0]?.target).toEqual({ kind: 'new', host: 'local', spec: { profile: 'sim' } });
    unmount();
  });

  it('a failed send shows its kind on the row and a notification until n marks it seen', async () => {
    const { lastFrame, stdin, calls, unmount } = renderWith(
      [ticket('OPS-1')],
      [runtime('rt_1', 'agent-1', 'idle')],
    );
    stdin.write('p');
    await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-1 up'));
    stdin.write('\r');
    await waitForFrame(lastFrame, () => calls.length === 1);
    calls[0]?.answer({
      kind: 'auth',
      host: 'local',
      status: 403,
      message: 'token lacks send scope',
    });
    const failed = await waitForFrame(lastFrame, (f) => rowOf(f, 'OPS-1').includes('✗ auth 403'));
    expect(rowOf(failed, 'OPS-1')).toContain('todo');
    expect(failed).toMatch(
      /send to local:agent-1 failed: auth 403 from local: token lacks send scope/,
    );
    stdin.write('n');
    const seen = await waitForFrame(lastFrame, (f) => !f.includes('token lacks send scope (n'));
    expect(rowOf(seen, 'OPS-1')).toContain('✗ auth 403'); // the row keeps the last error
    unmount();
  });

  it('a busy runtime is adopted: the row says so, and the ticket is in progress', async () => {
    const { lastFrame, stdin, calls, unmount } = renderWith(
      [ticket('OPS-1')],
      [runtime('rt_1', 'agent-1', 'idle')],
    );
    stdin.write('p\r'); // typed faster than the screen renders: one chunk, two presses
    await waitForFrame(lastFrame, () => calls.length === 1);
    calls[0]?.answer('adopted');
    const adopted = await waitForFrame(lastFrame, (f) => rowOf(f, 'OPS-1').includes('adopted'));
    expect(rowOf(adopted, 'OPS-1')).toContain('in progress');
    unmount();
  });

  it('refuses p on a ticket that is not todo, and asks before q quits mid-pickup', async () => {
    const { lastFrame, stdin, calls, unmount } = renderWith(
      [ticket('OPS-2', { state: 'review' }), ticket('OPS-1')],
      [runtime('rt_1', 'agent-1', 'idle')],
    );
    stdin.write('p');
    await waitForFrame(lastFrame, (f) => f.includes('only a todo ticket is picked up'));
    expect(lastFrame()).not.toContain('Pick OPS-2 up');
    stdin.write('j');
    stdin.write('p');
    await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-1 up'));
    stdin.write('\r');
    await waitForFrame(lastFrame, () => calls.length === 1);
    stdin.write('q');
    await waitForFrame(lastFrame, (f) => f.includes('1 pickup(s) under way: quit anyway'));
    stdin.write('j'); // only y or n answer the question
    stdin.write('n');
    await waitForFrame(lastFrame, (f) => !f.includes('quit anyway'));
    calls[0]?.answer(
      new AppFailure({
        kind: 'conflict',
        message: 'OPS-1 is being picked up by bob@box pid 7 (tui)',
      }),
    );
    const refused = await waitForFrame(lastFrame, (f) => f.includes('bob@box pid 7'));
    expect(rowOf(refused, 'OPS-1')).not.toContain('sending…');
    unmount();
  });

  it('Enter opens the ticket in full, Esc goes back to the list', async () => {
    const { lastFrame, stdin, unmount } = renderWith(
      [ticket('OPS-1', { body: 'The **send** path adopts on every error.' })],
      [],
    );
    stdin.write('\r');
    const detail = await waitForFrame(lastFrame, (f) => f.includes('adopts on every error'));
    expect(detail).not.toMatch(/KEY\s+SEV/);
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => /KEY\s+SEV/.test(f));
    unmount();
  });
});
