import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkedKeys as chunksOf } from './input/chunked-keys.js';
import { KEYS, renderApp, ticket, waitForFrame } from './render-app.js';
import { fakeServices, footerOf, renderRoom, runtime } from './watch-fakes.js';

/**
 * Keys that arrive in one read (over SSH, a paste) reach the screen as one chunk: each of them
 * counts, in order, through the real Ink input, router and reducer.
 */

const BACKSPACE = '\u007f';
const PASTE = (text: string) => `\u001b[200~${text}\u001b[201~`;
const tick = () => new Promise((resolve) => setImmediate(resolve));

const tickets = Array.from({ length: 30 }, (_, i) =>
  ticket(`OPS-${30 - i}`, { title: i % 3 === 0 ? `cache bug ${i}` : `retry loop ${i}` }),
);

const selectedRow = (frame: string) =>
  frame.split('\n').find((l) => /^\s*[›>]/.test(l)) ?? '(no selection mark)';

describe('keys of one chunk', () => {
  it('two Backspaces in one chunk delete two characters of the filter', async () => {
    const { lastFrame, stdin, unmount } = renderApp(tickets);
    stdin.write('/');
    await waitForFrame(lastFrame, (f) => f.includes('/▏'));
    stdin.write('cache');
    await waitForFrame(lastFrame, (f) => f.includes('/cache▏'));
    stdin.write(BACKSPACE + BACKSPACE);
    await waitForFrame(lastFrame, (f) => f.includes('/cac▏'));
    stdin.write('\b\b\b');
    await waitForFrame(lastFrame, (f) => f.includes('/▏'));
    unmount();
  });

  it('p then Tab in one chunk completes the command line to pickup', async () => {
    const { lastFrame, stdin, unmount } = renderApp(tickets);
    stdin.write(':');
    await waitForFrame(lastFrame, (f) => footerOf(f).startsWith(':▏'));
    stdin.write('p\t');
    await waitForFrame(lastFrame, (f) => footerOf(f).startsWith(':pickup▏'));
    unmount();
  });

  it('Unicode typed in one chunk goes into the filter, the command line and the help search', async () => {
    const { lastFrame, stdin, unmount } = renderApp(tickets);
    stdin.write('/');
    await waitForFrame(lastFrame, (f) => f.includes('/▏'));
    stdin.write('日本é👍🏽שלום');
    await waitForFrame(lastFrame, (f) => f.includes('/日本é👍🏽שלום▏'));
    stdin.write(BACKSPACE + BACKSPACE + BACKSPACE + BACKSPACE + BACKSPACE + KEYS.escape);
    await waitForFrame(lastFrame, (f) => !f.includes('/日本'));
    stdin.write(':');
    await waitForFrame(lastFrame, (f) => footerOf(f).startsWith(':▏'));
    stdin.write('ünïcödé');
    await waitForFrame(lastFrame, (f) => footerOf(f).startsWith(':ünïcödé▏'));
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => !f.includes(':ünïcödé'));
    stdin.write('?');
    await waitForFrame(lastFrame, (f) => f.includes('Navigation'));
    stdin.write('mövé');
    await waitForFrame(lastFrame, (f) => f.includes('find: mövé▏'));
    unmount();
  });

  it('a bracketed paste is typed whole, its line breaks as spaces, and never presses Enter', async () => {
    const { lastFrame, stdin, unmount } = renderApp(tickets);
    stdin.write(':');
    await waitForFrame(lastFrame, (f) => footerOf(f).startsWith(':▏'));
    stdin.write(PASTE('them\r\ne 日本\u001b[31mq'));
    await waitForFrame(lastFrame, (f) => footerOf(f).startsWith(':them e 日本q▏'));
    // Outside a typing mode a paste is no keys: a pasted q does not quit, a pasted j moves nothing.
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => !f.includes(':them'));
    stdin.write(`${PASTE('jjjq')}j`);
    await waitForFrame(lastFrame, (f) => selectedRow(f).includes('OPS-29'));
    unmount();
  });

  it('jjj moves three rows, and arrows, PgDn and Home in one chunk each count', async () => {
    const { lastFrame, stdin, unmount } = renderApp(tickets);
    await waitForFrame(lastFrame, (f) => selectedRow(f).includes('OPS-30'));
    stdin.write('jjj');
    await waitForFrame(lastFrame, (f) => selectedRow(f).includes('OPS-27'));
    // Down, Down, k, and j as CSI u (the kitty keyboard protocol) sends it.
    stdin.write(`${KEYS.down}${KEYS.down}k\u001b[106u`);
    await waitForFrame(lastFrame, (f) => selectedRow(f).includes('OPS-25'));
    // Home, a page down and a page up, then j: the second row.
    stdin.write(`\u001b[H${KEYS.pageDown}\u001b[5~j`);
    await waitForFrame(lastFrame, (f) => selectedRow(f).includes('OPS-29'));
    unmount();
  });

  it.each([
    ['End, PgUp and j', ['\u001b[F', '\u001b[5~', 'j']],
    [
      '/, Esc, PgDn and j (the filter line takes a row while open)',
      ['/', KEYS.escape, KEYS.pageDown, 'j'],
    ],
    ['PgDn, / and Enter (an empty filter closes)', [KEYS.pageDown, '/', '\r', 'j']],
  ])(
    '%s in one chunk leave the list scrolled where the keys one by one leave it',
    async (_, keys) => {
      // The window over the list follows each key, not each frame: a chunk renders once.
      const single = renderApp(tickets);
      let frame = await waitForFrame(single.lastFrame, (f) => selectedRow(f).includes('OPS-30'));
      for (const key of keys) {
        const before = frame;
        single.stdin.write(key);
        frame = await waitForFrame(single.lastFrame, (f) => f !== before);
      }
      single.unmount();
      const chunk = renderApp(tickets);
      await waitForFrame(chunk.lastFrame, (f) => selectedRow(f).includes('OPS-30'));
      chunk.stdin.write(keys.join(''));
      const chunked = await waitForFrame(
        chunk.lastFrame,
        (f) => selectedRow(f) === selectedRow(frame),
      );
      chunk.unmount();
      expect(chunked).toBe(frame);
    },
  );

  it('the insert line takes Unicode and Backspaces of one chunk, and sends what it shows', async () => {
    const { services, calls } = fakeServices();
    const { lastFrame, stdin, unmount } = renderRoom({
      runtimes: [runtime('rt_1', 'alpha')],
      services,
    });
    stdin.write('r');
    await waitForFrame(lastFrame, (f) => f.includes('alpha'));
    stdin.write('i');
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('type into alpha:'));
    stdin.write(`yé日本${BACKSPACE}${BACKSPACE}s 🙂`);
    await waitForFrame(lastFrame, (f) => footerOf(f).includes('type into alpha: yés 🙂▏'));
    stdin.write('\r');
    await waitForFrame(lastFrame, () => calls.sendLine.length > 0);
    expect(calls.sendLine.map((c) => c.text)).toEqual(['yés 🙂']);
    unmount();
  });
});

describe('a chunk across views', () => {
  it('p, j and Enter in one chunk: the chooser opens, moves and sends the second choice', async () => {
    const { services, calls } = fakeServices();
    const { lastFrame, stdin, unmount } = renderRoom({
      tickets: [ticket('OPS-1')],
      runtimes: [runtime('rt_1', 'alpha')],
      services,
    });
    // A notice on screen first: the chunk's first key clears it.
    stdin.write('w');
    await waitForFrame(lastFrame, (f) => footerOf(f).startsWith('watch'));
    stdin.write('pj\r');
    await waitForFrame(lastFrame, () => calls.pickup.length > 0);
    expect(calls.pickup[0]?.target).toEqual({
      kind: 'new',
      host: 'local',
      spec: { profile: 'sim' },
    });
    unmount();
  });
});

/** Keys as a terminal sends them. Not q (it quits) nor r (the runtimes table's spinner ticks). */
const KEY_BYTES = [
  'j',
  'k',
  'g',
  'G',
  'p',
  'h',
  'x',
  ' ',
  '/',
  ':',
  '?',
  'é',
  'e\u0301',
  '日',
  '👍🏽',
  'ש',
  '\r',
  '\t',
  BACKSPACE,
  '\b',
  KEYS.escape,
  KEYS.up,
  KEYS.down,
  KEYS.pageDown,
  '\u001b[5~',
  '\u001b[H',
  '\u001b[F',
  '\u001b[3~',
  '\u001b[106u',
  '\u001b[13u',
  PASTE('cache 日本\r\n'),
];

const chunkedKeys = chunksOf(KEY_BYTES, 24);

/** The screen after writing `pieces` one read at a time (a lone Esc is let through first). */
async function screenAfter(pieces: readonly string[]): Promise<string> {
  const { lastFrame, stdin, unmount } = renderApp(tickets);
  await waitForFrame(lastFrame, (f) => f.includes('OPS-30'));
  for (const piece of pieces) {
    stdin.write(piece);
    await tick();
  }
  await tick();
  const frame = lastFrame() ?? '';
  unmount();
  return frame;
}

describe('property: a chunk acts as its keys one by one', () => {
  it('any keys, cut into chunks at random, leave the same screen as the keys one by one', async () => {
    await fc.assert(
      fc.asyncProperty(chunkedKeys, async ({ keys, chunks }) => {
        const oneByOne = await screenAfter(keys);
        const chunked = await screenAfter(chunks);
        expect(chunked).toBe(oneByOne);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
