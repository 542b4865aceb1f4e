import { describe, expect, it } from 'vitest';
import { filterOrder, matchesQuery } from '../../../src/ui/ticket-filter.js';
import { KEYS, renderApp, ticket, waitForFrame } from './render-app.js';

const keysShown = (frame: string) =>
  frame.split('\n').flatMap((l) => /^\W{0,4}([A-Z]+-\d+) /.exec(l)?.[1] ?? []);

describe('matchesQuery', () => {
  it.each([
    ['ops12', 'OPS-12 flaky test', true],
    ['adpt bsy', 'CR-1 adopt only on busy', true],
    ['bsy adpt', 'CR-1 adopt only on busy', true],
    ['xyz', 'CR-1 adopt only on busy', false],
    ['ADOPT', 'CR-1 adopt only on busy', true],
    ['', 'anything', true],
  ])('%s in "%s" → %s', (query, text, expected) => {
    expect(matchesQuery(text, query)).toBe(expected);
  });

  it('keeps list order and returns the same array without a query', () => {
    const tickets = { 'A-1': ticket('A-1'), 'A-2': ticket('A-2', { title: 'cache bug' }) };
    const order = ['A-2', 'A-1'];
    expect(filterOrder(order, tickets, '  ')).toBe(order);
    expect(filterOrder(order, tickets, 'cache')).toEqual(['A-2']);
  });
});

describe('the live filter on the screen', () => {
  it('/ filters as you type, Enter keeps it, Esc clears it', async () => {
    const { lastFrame, stdin, unmount } = renderApp([
      ticket('OPS-3', { title: 'retry loop never backs off' }),
      ticket('OPS-2', { title: 'cache forgets its first entry' }),
      ticket('OPS-1', { title: 'send path adopts on every error' }),
    ]);
    stdin.write('/');
    await waitForFrame(lastFrame, (f) => f.includes('3 of 3'));
    stdin.write('cache');
    const one = await waitForFrame(lastFrame, (f) => f.includes('1 of 3'));
    expect(keysShown(one)).toEqual(['OPS-2']);
    // While typing, q and j are text, not commands.
    stdin.write('q');
    await waitForFrame(lastFrame, (f) => f.includes('/cacheq'));
    stdin.write('\u007f'); // Backspace
    await waitForFrame(lastFrame, (f) => f.includes('/cache▏'));
    stdin.write('\r');
    const kept = await waitForFrame(lastFrame, (f) => f.includes('/cache ') && !f.includes('▏'));
    expect(keysShown(kept)).toEqual(['OPS-2']);
    stdin.write('p'); // a command again: the selected (only) ticket is todo, so the chooser opens
    await waitForFrame(lastFrame, (f) => f.includes('Pick OPS-2 up'));
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => f.includes('/cache') && !f.includes('Pick OPS-2 up'));
    stdin.write(KEYS.escape);
    const all = await waitForFrame(lastFrame, (f) => !f.includes('of 3'));
    expect(keysShown(all)).toEqual(['OPS-3', 'OPS-2', 'OPS-1']);
    unmount();
  });

  it('says when nothing matches', async () => {
    const { lastFrame, stdin, unmount } = renderApp([ticket('OPS-1')]);
    stdin.write('/zzz');
    await waitForFrame(lastFrame, (f) => f.includes('No ticket matches "zzz"'));
    unmount();
  });
});
