import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { HostedRuntime, Ticket } from '../../../src/domain/index.js';
import type { PickupOutcome } from '../../../src/services/dispatch/dispatcher.js';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import { ServicesProvider, type TuiServices } from '../../../src/ui/services-context.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';
import { makeRuntime } from '../helpers/tickets.js';
import { ticket, waitForFrame } from './render-app.js';

/**
 * What a pane sets (its options, folder, session name) and what a host answers (a runtime's id,
 * name, profile) reach the screen through every view that names a runtime: the tickets' runtime
 * column, the pickup chooser and its notice, the runtimes table, a ticket's detail. Ink keeps OSC
 * sequences (`ESC ] 52` writes the clipboard), so each view must sanitise them itself.
 */

const NOW = Date.parse('2026-11-25T07:00:00Z');
const AT = '2026-11-25T07:00:00Z';
const OSC_52 = '\x1b]52;c;SGVsbG8=\x07';
const TITLE = '\x1b]0;owned\x07';
// Anything a terminal acts on but SGR (the theme's colours): C0 but the line feed, DEL, C1,
// bidi embeddings and isolates.
const UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const SGR = /\x1b\[[0-9;:]*m/g;

function hostile(host: string, id: string, state: HostedRuntime['state']): HostedRuntime {
  return {
    ...makeRuntime({
      id: `${id}${TITLE}`,
      name: `evil${OSC_52}\u202eman\x9b2J\nforged`,
      profile: `codex${TITLE}`,
      cwd: `/srv/${OSC_52}work\u241f\tx`,
      state,
      ticket: `T\x07-1${TITLE}`,
      command: `codex\x1b[31m${OSC_52}`,
      lastActivityAt: '2026-11-25T06:50:00Z',
    }),
    host,
  };
}

function expectSafe(frames: readonly string[]): void {
  for (const frame of frames) {
    const found = UNSAFE.exec(frame.replace(SGR, ''));
    expect(found, `a frame holds U+${found?.[0].codePointAt(0)?.toString(16)}:\n${frame}`).toBe(
      null,
    );
  }
}

describe('hostile runtime text on the screen', () => {
  it('no view that names a runtime shows its escapes, controls or bidi overrides', async () => {
    const local = hostile('local', 'rt_1', 'idle');
    const remote = hostile(`evil${TITLE}`, 'rt_2', 'busy');
    const bound: Ticket = ticket('OPS-2', {
      state: 'in_progress',
      runtime: { host: remote.host, id: remote.id, name: remote.name, adopted: false },
    });
    const store = createAppStore(stateWithTickets([ticket('OPS-1'), bound]));
    for (const r of [local, remote]) {
      store.getState().dispatch({ type: 'runtimes/synced', host: r.host, runtimes: [r], at: AT });
    }
    const services: TuiServices = {
      profiles: ['codex'],
      pickup: async (key) => {
        const runtime = { host: local.host, id: local.id, name: local.name };
        store
          .getState()
          .dispatch({ type: 'send/delivered', ticketKey: key, messageId: 'm1', runtime, at: AT });
        const t = store.getState().tickets[key] as Ticket;
        return { kind: 'delivered', ticket: t, messageId: 'm1' } satisfies PickupOutcome;
      },
    };
    const { lastFrame, frames, stdin, unmount } = render(
      <Providers store={store} theme={NO_COLOR_THEME}>
        <ServicesProvider services={services}>
          <App now={() => NOW} />
        </ServicesProvider>
      </Providers>,
    );
    try {
      await waitForFrame(lastFrame, (f) => f.includes('OPS-2') && f.includes('evilman'));
      stdin.write('p');
      await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-1 up'));
      stdin.write('\r');
      await waitForFrame(lastFrame, (f) => f.includes('OPS-1 delivered to local:evilman'));
      stdin.write('j');
      stdin.write('\r');
      await waitForFrame(lastFrame, (f) => /^runtime +evilman/m.test(f));
      stdin.write('\x1b');
      await waitForFrame(lastFrame, (f) => !/^runtime +evilman/m.test(f));
      stdin.write('r');
      await waitForFrame(lastFrame, (f) => f.includes('2 runtimes'));
      stdin.write('j');
      await waitForFrame(lastFrame, (f) => f.includes('srv/work'));
      stdin.write('i');
      await waitForFrame(lastFrame, (f) => f.includes('type into'));
      stdin.write('\x1b');
      await waitForFrame(lastFrame, (f) => !f.includes('type into'));
      stdin.write('\r');
      await waitForFrame(lastFrame, (f) => /evilman forged on /.test(f));
      expectSafe(frames);
    } finally {
      unmount();
    }
  });
});
