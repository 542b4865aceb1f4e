import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { HostedRuntime } from '../../../src/domain/index.js';
import type { PickupOutcome } from '../../../src/services/dispatch/dispatcher.js';
import type { PickupTarget } from '../../../src/services/dispatch/target.js';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import type { PickupLimits } from '../../../src/ui/pickup-choices.js';
import { ServicesProvider, type TuiServices } from '../../../src/ui/services-context.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';
import { makeRuntime } from '../helpers/tickets.js';
import { ticket, waitForFrame } from './render-app.js';

/**
 * The chooser never offers a shell or the control room itself: a shell pane and the shell
 * profile are listed disabled with the reason (the cursor passes over them, Enter on one says
 * why), and the control room's own runtime is not listed. Real store, fake dispatcher.
 */

const NOW = Date.parse('2026-11-25T07:00:00Z');
const AT = '2026-11-25T07:00:00Z';
const SHELL_PROFILE = 'starts bash, a shell: pick an agent profile';
const NO_CODEX = 'codex is not installed here (not on PATH)';

function runtime(id: string, name: string, command: string): HostedRuntime {
  return {
    ...makeRuntime({ id, name, command, state: 'idle', lastActivityAt: AT }),
    host: 'local',
  };
}

function renderWith(runtimes: HostedRuntime[], profiles: string[], limits: PickupLimits) {
  const store = createAppStore(stateWithTickets([ticket('OPS-1')]));
  store.getState().dispatch({ type: 'runtimes/synced', host: 'local', runtimes, at: AT });
  const calls: PickupTarget[] = [];
  const services: TuiServices = {
    profiles,
    pickupLimits: () => limits,
    pickup: (_key, target) => {
      calls.push(target);
      return new Promise<PickupOutcome>(() => {});
    },
  };
  const instance = render(
    <Providers store={store} theme={NO_COLOR_THEME}>
      <ServicesProvider services={services}>
        <App now={() => NOW} />
      </ServicesProvider>
    </Providers>,
  );
  return { ...instance, calls };
}

const chooserLines = (frame: string) =>
  frame
    .split('\n')
    .filter((l) => /local:|new runtime:/.test(l))
    .map((l) => l.trim());
const cursorLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('the pickup chooser offers no shell and not the control room', () => {
  it('lists shells disabled with the reason, after the rest, leaves the own pane out, and the cursor skips them', async () => {
    const { lastFrame, stdin, calls, unmount } = renderWith(
      [
        runtime('rt_1', 'op', 'node'),
        runtime('rt_2', 'bashy', 'bash'),
        runtime('rt_3', 'agent-1', 'node'),
      ],
      ['shell', 'codex', 'sim'],
      { profiles: { shell: SHELL_PROFILE, codex: NO_CODEX }, own: new Set(['local:rt_1']) },
    );
    stdin.write('p');
    const chooser = await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-1 up'));
    const lines = chooserLines(chooser);
    expect(lines.map((l) => /local:\S+|new runtime: \S+/.exec(l)?.[0])).toEqual([
      'local:agent-1',
      'new runtime: sim',
      'local:bashy',
      'new runtime: shell',
      'new runtime: codex',
    ]);
    expect(chooser).not.toContain('local:op');
    expect(chooser).toMatch(/local:bashy.*— runs bash, a shell: start an agent there first/);
    expect(chooser).toMatch(/new runtime: shell \(local\)\s+— starts bash, a shell/);
    expect(chooser).toMatch(/new runtime: codex \(local\)\s+— codex is not installed here/);
    expect(cursorLine(chooser)).toContain('agent-1');

    stdin.write('jjjj'); // past the last line that can take it: the cursor stays there
    await waitForFrame(lastFrame, (f) => cursorLine(f).includes('new runtime: sim'));
    stdin.write('\r');
    await waitForFrame(lastFrame, () => calls.length === 1);
    expect(calls[0]).toEqual({ kind: 'new', host: 'local', spec: { profile: 'sim' } });
    unmount();
  });

  it('refuses Enter on a disabled line with its reason, sending nothing', async () => {
    const { lastFrame, stdin, calls, unmount } = renderWith(
      [runtime('rt_2', 'bashy', 'bash')],
      ['shell'],
      { profiles: { shell: SHELL_PROFILE } },
    );
    stdin.write('p');
    await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-1 up'));
    stdin.write('\r');
    const refused = await waitForFrame(lastFrame, (f) =>
      f.includes('runs bash, a shell: start an agent there first'),
    );
    expect(refused).toContain('Pick OPS-1 up'); // still open: nothing was sent
    stdin.write('j'); // no line below can take it: the cursor stays
    await waitForFrame(lastFrame, (f) => !f.includes('send it there: runs bash'));
    expect(cursorLine(lastFrame() ?? '')).toContain('local:bashy');
    expect(calls).toEqual([]);
    unmount();
  });
});
