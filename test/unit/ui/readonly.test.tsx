import { afterEach, describe, expect, it } from 'vitest';
import { READONLY_REASON } from '../../../src/ui/commands/contexts.js';
import { ticket, waitForFrame } from './render-app.js';
import {
  ENTER,
  fakeLiveSource,
  fakeServices,
  footerOf,
  renderRoom,
  runtime,
  screenOf,
} from './watch-fakes.js';

/**
 * `--readonly` on the screen: every command that sends to or attaches to a runtime is refused
 * by the registry, the footer says why, and the services behind the screen hear nothing. The
 * fake services would carry each request out (and record it), so only the refusal keeps them
 * quiet; the same keys without --readonly are shown to reach them in watch.test.tsx.
 */

const REASON = 'read-only (--readonly): this control room only watches';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function readonlyRoom() {
  const live = fakeLiveSource((id) => screenOf([`console of ${id}`]));
  const fake = fakeServices({ readonly: true, live: live.source });
  const room = renderRoom({
    // A todo ticket: without --readonly, p would open the chooser on it.
    tickets: [ticket('OPS-1')],
    runtimes: [runtime('rt_1', 'alpha'), runtime('rt_2', 'beta')],
    services: fake.services,
  });
  cleanup = room.unmount;
  return { ...room, calls: fake.calls };
}

const refused = (description: string) => (frame: string) =>
  footerOf(frame).includes(`${description}: ${REASON}`);

describe('--readonly on the screen', () => {
  it('says the reason the issue asks for', () => {
    expect(READONLY_REASON).toBe(REASON);
  });

  it('p on a todo ticket is refused with the reason; no chooser, no pickup', async () => {
    const { lastFrame, stdin, calls } = readonlyRoom();
    await waitForFrame(lastFrame, (f) => f.includes('OPS-1'));
    stdin.write('p');
    const frame = await waitForFrame(lastFrame, refused('pick it up'));
    expect(frame).not.toContain('Pick OPS-1 up');
    // Enter now opens the ticket (there is no chooser to send from).
    stdin.write(ENTER);
    await waitForFrame(lastFrame, (f) => !refused('pick it up')(f));
    expect(calls.pickup).toEqual([]);
  });

  it(':pickup on the command line is refused the same way', async () => {
    const { lastFrame, stdin, calls } = readonlyRoom();
    await waitForFrame(lastFrame, (f) => f.includes('OPS-1'));
    stdin.write(':');
    await waitForFrame(lastFrame, (f) => footerOf(f).startsWith(':'));
    stdin.write('pickup');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes(':pickup'));
    stdin.write(ENTER);
    const frame = await waitForFrame(lastFrame, refused('pick it up'));
    expect(frame).not.toContain('Pick OPS-1 up');
    expect(calls.pickup).toEqual([]);
  });

  it.each([
    ['i', 'type a line into it'],
    ['a', 'attach'],
  ])('%s on the runtimes screen is refused with the reason', async (key, description) => {
    const { lastFrame, stdin, calls } = readonlyRoom();
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha') && f.includes('beta'));
    stdin.write(key);
    const frame = await waitForFrame(lastFrame, refused(description));
    // No insert line opened: the footer is the notice, not "type into alpha".
    expect(frame).not.toContain('type into');
    // Keys typed after the refusal are commands, not a line for the runtime.
    stdin.write('y');
    stdin.write(ENTER);
    // Enter on a runtime opens its watch: that is watching, not sending.
    await waitForFrame(lastFrame, (f) => f.includes('console of rt_1'));
    expect(calls.sendLine).toEqual([]);
    expect(calls.attach).toEqual([]);
  });

  it('the footer does not offer attaching or typing, but does offer watching', async () => {
    const { lastFrame, stdin } = readonlyRoom();
    stdin.write('r');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('alpha'));
    const footer = footerOf(frame);
    expect(footer).toContain('w watch it');
    expect(footer).not.toContain('attach');
    expect(footer).not.toContain('type a line');
  });

  it.each([
    ['Enter', ENTER, 'attach'],
    ['a', 'a', 'attach'],
    ['i', 'i', 'type a line into it'],
  ])('%s while watching is refused with the reason', async (_name, key, description) => {
    const { lastFrame, stdin, calls } = readonlyRoom();
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha'));
    stdin.write('j');
    stdin.write('w');
    await waitForFrame(lastFrame, (f) => f.includes('console of rt_2'));
    stdin.write(key);
    const frame = await waitForFrame(lastFrame, refused(description));
    // Still watching, with nothing typed into the runtime.
    expect(frame).toContain('console of rt_2');
    expect(frame).not.toContain('type into');
    // Another notice in between, so that the next refusal is a new one.
    stdin.write('n');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('no new notifications'));
    stdin.write(ENTER);
    await waitForFrame(lastFrame, refused('attach'));
    expect(calls.attach).toEqual([]);
    expect(calls.sendLine).toEqual([]);
  });
});
