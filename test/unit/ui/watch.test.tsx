import { afterEach, describe, expect, it } from 'vitest';
import { NO_COLOR_THEME, type Theme } from '../../../src/ui/theme/theme.js';
import { KEYS, ticket, waitForFrame } from './render-app.js';
import {
  ENTER,
  fakeLiveSource,
  fakeServices,
  footerOf,
  PAGE_UP,
  renderRoom,
  runtime,
  screenOf,
} from './watch-fakes.js';

/**
 * Watching, attaching and typing into a runtime on the screen, without --readonly: the keys
 * reach the services (fakes that record the request) with the runtime they act on, and the
 * watch view shows the live source's screen as a terminal would, colours kept and nothing else.
 */

/** A theme with colours on: only the no-colour theme drops a console's SGR. */
const COLOUR: Theme = { ...NO_COLOR_THEME, name: 'colour-test' };
const RED = '\u001B[31m';
const RESET = '\u001B[39m';
const OSC_TITLE = '\u001B]0;pwned\u0007';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function room(theme: Theme = NO_COLOR_THEME, history = 0) {
  const live = fakeLiveSource((id, scroll) =>
    screenOf(
      [
        `console of ${id}`,
        `${RED}red text${RESET} after`,
        `title ${OSC_TITLE}gone`,
        scroll === 0 ? 'the live bottom' : `scrolled back ${scroll}`,
      ],
      { history, scroll },
    ),
  );
  const fake = fakeServices({ live: live.source });
  const instance = renderRoom({
    tickets: [ticket('OPS-1')],
    runtimes: [runtime('rt_1', 'alpha'), runtime('rt_2', 'beta')],
    services: fake.services,
    theme,
  });
  cleanup = instance.unmount;
  return { ...instance, calls: fake.calls, watches: live.watches };
}

describe('watching a runtime', () => {
  it("w on the runtimes screen shows the selected runtime's console with its colours (SGR) kept", async () => {
    const { lastFrame, stdin, watches } = room(COLOUR);
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha') && f.includes('beta'));
    stdin.write('j');
    stdin.write('w');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('console of rt_2'));
    expect(watches.map((w) => w.id)).toEqual(['rt_2']);
    expect(frame).toContain('beta on local · 80×4 · live');
    const red = frame.split('\n').find((l) => l.includes('red text')) ?? '';
    expect(red).toContain(`${RED}red text${RESET} after`);
    expect(frame).toContain('the live bottom');
  });

  // The screen does not rely on each LiveSource to strip (the local and HTTP ones do): a source
  // that does not (a new transport, a bug in one) must not set the terminal's title, or worse.
  it("w on the runtimes screen strips an OSC from the source's lines", async () => {
    const { lastFrame, stdin } = room(COLOUR);
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha') && f.includes('beta'));
    stdin.write('w');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('console of rt_1'));
    // The OSC (a window title) is gone, and the text around it is kept.
    expect(frame).toContain('title gone');
    expect(frame).not.toContain('\u001B]');
    expect(frame).not.toContain('pwned');
    // The colours are kept all the same.
    expect(frame).toContain(`${RED}red text`);
  });

  it('Enter on a runtime watches it too; Esc goes back to the table and stops the watch', async () => {
    const { lastFrame, stdin, watches } = room();
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha'));
    stdin.write(ENTER);
    await waitForFrame(lastFrame, (f) => f.includes('console of rt_1'));
    stdin.write(KEYS.escape);
    const back = await waitForFrame(lastFrame, (f) => !f.includes('console of rt_1'));
    expect(back).toContain('beta');
    // The watch stops once React has run the view's cleanup (just after the frame).
    await waitForFrame(lastFrame, () => watches.find((w) => w.id === 'rt_1')?.stopped === true);
  });

  it('PgUp scrolls the watch back through scrollTo; G comes back to live', async () => {
    const { lastFrame, stdin, watches } = room(NO_COLOR_THEME, 40);
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha'));
    stdin.write('w');
    await waitForFrame(lastFrame, (f) => f.includes('the live bottom'));
    const watch = watches.find((w) => w.id === 'rt_1');
    expect(watch).toBeDefined();
    stdin.write(PAGE_UP);
    const back = await waitForFrame(lastFrame, (f) => f.includes('scrolled back'));
    const offset = watch?.scrolls.at(-1) ?? 0;
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(40);
    expect(back).toContain(`scrolled back ${offset}`);
    expect(back).toContain(`${offset} of 40 lines back`);
    stdin.write('G');
    await waitForFrame(lastFrame, (f) => f.includes('the live bottom'));
    expect(watch?.scrolls.at(-1)).toBe(0);
  });
});

describe('attaching and typing without --readonly', () => {
  it('a on the runtimes screen attaches to the selected runtime, with the view to come back to', async () => {
    const { lastFrame, stdin, calls } = room();
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha') && f.includes('beta'));
    stdin.write('j');
    stdin.write('a');
    await waitForFrame(lastFrame, () => calls.attach.length > 0);
    expect(calls.attach).toHaveLength(1);
    const [call] = calls.attach;
    expect(call?.runtime).toMatchObject({ host: 'local', id: 'rt_2', name: 'beta' });
    expect(call?.view).toMatchObject({ screen: 'runtimes', runtimeSelected: 1 });
    expect(call?.view.watch).toBeUndefined();
    expect(calls.sendLine).toEqual([]);
  });

  it('Enter while watching attaches to the watched runtime, and comes back to the watch', async () => {
    const { lastFrame, stdin, calls } = room();
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha'));
    stdin.write('w');
    await waitForFrame(lastFrame, (f) => f.includes('console of rt_1'));
    stdin.write(ENTER);
    await waitForFrame(lastFrame, () => calls.attach.length > 0);
    expect(calls.attach[0]?.runtime).toMatchObject({ host: 'local', id: 'rt_1', name: 'alpha' });
    expect(calls.attach[0]?.view.watch).toMatchObject({ host: 'local', id: 'rt_1', scroll: 0 });
  });

  it('i, text, Enter sends that line to the selected runtime; the line stays open for more', async () => {
    const { lastFrame, stdin, calls } = room();
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha'));
    stdin.write('i');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('type into alpha:'));
    // Typed as separate presses, then a correction: what is sent is what the line shows.
    for (const key of ['y', 'e', 'z']) stdin.write(key);
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('type into alpha: yez'));
    stdin.write('\u007F');
    stdin.write('s');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('type into alpha: yes'));
    expect(calls.sendLine).toEqual([]);
    stdin.write(ENTER);
    await waitForFrame(lastFrame, () => calls.sendLine.length > 0);
    expect(calls.sendLine).toHaveLength(1);
    expect(calls.sendLine[0]?.text).toBe('yes');
    expect(calls.sendLine[0]?.runtime).toMatchObject({ host: 'local', id: 'rt_1', name: 'alpha' });
    // The line empties for the next one; keys still go into it, not to the commands.
    await waitForFrame(lastFrame, (f) => /type into alpha: ▏/.test(footerOf(f)));
    stdin.write('q');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('type into alpha: q'));
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => !f.includes('type into alpha'));
    expect(calls.sendLine).toHaveLength(1);
    expect(calls.attach).toEqual([]);
  });
});

describe('scrolling back with nothing to scroll to', () => {
  it('says why nothing moves, and asks the source for nothing', async () => {
    const { lastFrame, stdin, watches } = room(NO_COLOR_THEME, 0);
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha'));
    stdin.write('w');
    await waitForFrame(lastFrame, (f) => f.includes('the live bottom'));
    stdin.write(PAGE_UP);
    await waitForFrame(lastFrame, (f) => f.includes('no scrollback yet'));
    const watch = watches.find((w) => w.id === 'rt_1');
    expect(watch?.scrolls.filter((offset) => offset > 0)).toEqual([]);
  });
});
