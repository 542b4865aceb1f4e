import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { createAppStore, stateWithFirstPage } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';
import { KEYS, renderApp, ticket, waitForFrame } from './render-app.js';

const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('the ticket screen', () => {
  it('lists the stored tickets newest first with a header and counts', () => {
    const { lastFrame, unmount } = renderApp([
      ticket('OPS-2', { title: 'second', state: 'needs_input' }),
      ticket('OPS-1', { title: 'first', severity: 'critical' }),
    ]);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('2 tickets');
    expect(frame).toContain('1 need input');
    const lines = frame.split('\n');
    const first = lines.findIndex((l) => l.includes('OPS-2'));
    const second = lines.findIndex((l) => l.includes('OPS-1'));
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(frame).toContain('critical');
    unmount();
  });

  it('says how to add tickets when the store is empty', () => {
    const { lastFrame, unmount } = renderApp([]);
    expect(lastFrame()).toContain('No tickets yet');
    expect(lastFrame()).toContain('control-room tickets import');
    unmount();
  });

  it('moves the selection with j, k, arrows, G and g', async () => {
    const { lastFrame, stdin, unmount } = renderApp([ticket('A-3'), ticket('A-2'), ticket('A-1')]);
    expect(selectedLine(lastFrame() ?? '')).toContain('A-3');
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => selectedLine(f).includes('A-2'));
    stdin.write(KEYS.down);
    await waitForFrame(lastFrame, (f) => selectedLine(f).includes('A-1'));
    stdin.write('j'); // stays on the last row
    stdin.write('k');
    await waitForFrame(lastFrame, (f) => selectedLine(f).includes('A-2'));
    stdin.write('G');
    await waitForFrame(lastFrame, (f) => selectedLine(f).includes('A-1'));
    stdin.write('g');
    await waitForFrame(lastFrame, (f) => selectedLine(f).includes('A-3'));
    unmount();
  });

  it('scrolls a long list so the selection stays in view', async () => {
    const tickets = Array.from({ length: 200 }, (_, i) => ticket(`T-${200 - i}`));
    const { lastFrame, stdin, unmount } = renderApp(tickets);
    expect(lastFrame()).not.toContain('T-100 ');
    stdin.write('G');
    const frame = await waitForFrame(lastFrame, (f) => selectedLine(f).includes('T-1 '));
    expect(frame).not.toContain('T-200 ');
    // Virtualised: only a screenful of rows is rendered, whatever the count.
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    unmount();
  });

  it('opens the help overlay from the registry with ? and closes it with Esc', async () => {
    const { lastFrame, stdin, unmount } = renderApp([ticket('A-1')]);
    stdin.write('?');
    const help = await waitForFrame(lastFrame, (f) => f.includes('Navigation'));
    expect(help).toContain('move down');
    expect(help).toContain('quit');
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => !f.includes('Navigation') && f.includes('A-1'));
    unmount();
  });

  it('typing over the help overlay finds a key; Esc closes it and forgets the search', async () => {
    const { lastFrame, stdin, unmount } = renderApp([ticket('A-1')]);
    stdin.write('?');
    await waitForFrame(lastFrame, (f) => f.includes('move down'));
    stdin.write('quit');
    const found = await waitForFrame(lastFrame, (f) => f.includes('find: quit'));
    expect(found).toMatch(/q\/Ctrl-C\s+quit/);
    expect(found).not.toContain('move down');
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => !f.includes('find:') && f.includes('A-1'));
    stdin.write('?');
    const again = await waitForFrame(lastFrame, (f) => f.includes('Navigation'));
    expect(again).toContain('move down');
    unmount();
  });

  it('says why a command cannot run instead of doing nothing', async () => {
    const { lastFrame, stdin, unmount } = renderApp([]);
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => f.includes('move down: no tickets yet'));
    unmount();
  });

  it('shows footer hints for the current view only', async () => {
    const { lastFrame, stdin, unmount } = renderApp([ticket('A-1')]);
    const footer = (f: string) => f.trimEnd().split('\n').pop() ?? '';
    expect(footer(lastFrame() ?? '')).toContain('j/↓ move down');
    expect(footer(lastFrame() ?? '')).not.toContain('Esc');
    stdin.write('?');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Navigation'));
    expect(footer(frame)).toContain('Esc close the overlay');
    expect(footer(frame)).not.toContain('move down');
    unmount();
  });

  it('never shows escape sequences from ticket text', () => {
    const { lastFrame, unmount } = renderApp([
      ticket('X-1', { title: 'evil \u001B]52;c;SGVsbG8=\u0007title \u001B[2J\u202Eend' }),
    ]);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('evil title end');
    expect(frame).not.toContain('\u001B]');
    expect(frame).not.toContain('\u202E');
    unmount();
  });
});

describe('a first frame from the newest page', () => {
  it('counts every ticket from the stored totals until the rest is read', async () => {
    const page = [ticket('P-3'), ticket('P-2', { state: 'review' })];
    const store = createAppStore(
      stateWithFirstPage(page, {
        total: 3000,
        byState: { todo: 2000, in_progress: 0, needs_input: 0, review: 1000, done: 0 },
      }),
    );
    const { lastFrame } = render(
      <Providers store={store} theme={NO_COLOR_THEME}>
        <App now={() => Date.parse('2026-11-25T07:00:00Z')} />
      </Providers>,
    );
    const first = await waitForFrame(lastFrame, (f) => f.includes('P-3'));
    expect(first).toContain('3000 tickets · 2000 todo');
    expect(first).toContain('1000 review');
    store.getState().dispatch({ type: 'tickets/loaded', tickets: [...page, ticket('P-1')] });
    const all = await waitForFrame(lastFrame, (f) => f.includes('P-1'));
    expect(all).toContain('3 tickets · 2 todo');
  });
});
