import { afterEach, describe, expect, it } from 'vitest';
import { NO_PRESENCE, type Ticket } from '../../../src/domain/index.js';
import { type DetailLine, detailLines } from '../../../src/ui/components/TicketDetail.js';
import type { RuntimeRef } from '../../../src/ui/view-state.js';
import { makeTicket } from '../helpers/tickets.js';
import { ticket, waitForFrame } from './render-app.js';
import { fakeServices, footerOf, NOW, renderRoom, runtime } from './watch-fakes.js';

/**
 * Text left in a runtime's input line (`input not empty`) on the screen: the runtimes view shows
 * it in the state column, and its two keys reach the services (s submits, x clears); on a
 * runtime without text left they are refused with why, and the services hear nothing.
 */

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function room(readonly = false) {
  const fake = fakeServices({ readonly });
  const settled: { runtime: RuntimeRef; action: string }[] = [];
  fake.services.settleInput = async (runtime, action) => {
    settled.push({ runtime, action });
    return `${action} done on ${runtime.name}`;
  };
  const instance = renderRoom({
    tickets: [ticket('OPS-1')],
    runtimes: [{ ...runtime('rt_1', 'alpha'), input: 'text' }, runtime('rt_2', 'beta')],
    services: fake.services,
  });
  cleanup = instance.unmount;
  return { ...instance, settled };
}

const selected = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('text left in an input line, on the runtimes view', () => {
  it('shows "input not empty", and s and x reach the services for that runtime', async () => {
    const { lastFrame, stdin, settled } = room();
    stdin.write('r');
    const table = await waitForFrame(lastFrame, (f) => selected(f).includes('alpha'));
    expect(selected(table)).toMatch(/alpha.*input not empty/);
    expect(footerOf(table)).toMatch(/s submit the text left.*x clear the text left/);
    stdin.write('s');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('submit done on alpha'));
    stdin.write('x');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('clear done on alpha'));
    expect(settled).toEqual([
      { runtime: { host: 'local', id: 'rt_1', name: 'alpha' }, action: 'submit' },
      { runtime: { host: 'local', id: 'rt_1', name: 'alpha' }, action: 'clear' },
    ]);
  });

  it('refuses s and x on a runtime whose input line holds nothing left, and says why', async () => {
    const { lastFrame, stdin, settled } = room();
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => selected(f).includes('alpha'));
    stdin.write('j');
    const beta = await waitForFrame(lastFrame, (f) => selected(f).includes('beta'));
    expect(footerOf(beta)).not.toContain('submit the text left');
    stdin.write('x');
    await waitForFrame(lastFrame, (f) =>
      footerOf(f).includes('clear the text left in its input line: its input line holds no text'),
    );
    expect(settled).toEqual([]);
  });

  it('refuses them read-only', async () => {
    const { lastFrame, stdin, settled } = room(true);
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => selected(f).includes('alpha'));
    stdin.write('s');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('read-only (--readonly)'));
    expect(settled).toEqual([]);
  });
});

describe('text left in an input line, on a ticket’s page', () => {
  const texts = (lines: DetailLine[]) =>
    lines.map((l) => l.segments.map((s) => s.text).join('')).join('\n');
  const crashed = makeTicket({
    key: 'OPS-7',
    state: 'todo',
    runtime: null,
    messages: [{ id: 'msg_1', state: 'unknown', runtime: 'local:rt_1', error: 'interrupted' }],
  });
  const bound = makeTicket({
    key: 'OPS-8',
    state: 'in_progress',
    runtime: { host: 'local', id: 'rt_1', name: 'alpha', adopted: false },
  });

  it('says so under an unknown message to that runtime, and beside the runtime it is bound to', () => {
    const left = new Set(['local:rt_1']);
    const page = (t: Ticket, set: ReadonlySet<string>) =>
      texts(detailLines(t, 200, NOW, NO_PRESENCE, null, set));
    expect(page(crashed, left)).toMatch(/msg_1 +unknown[\s\S]*input not empty: text waits/);
    expect(page(bound, left)).toMatch(/runtime +alpha \(rt_1\) on local · input not empty/);
    // Nothing is said of a runtime whose input line holds nothing left.
    expect(page(crashed, new Set())).not.toContain('input not empty');
    expect(page(bound, new Set())).not.toContain('input not empty');
  });
});
