import { describe, expect, it } from 'vitest';
import { renderApp, ticket, waitForFrame } from './render-app.js';

describe('the split layout', () => {
  it('on a wide terminal shows the selected ticket beside the list, and follows the selection', async () => {
    const { lastFrame, stdin, stdout, unmount } = renderApp([
      ticket('OPS-2', { title: 'second', body: 'the second body text' }),
      ticket('OPS-1', { title: 'first', body: 'the first body text' }),
    ]);
    expect(lastFrame()).not.toContain('the second body text');
    // Ink's test terminal is 100 columns: widen it, as a resize would.
    Object.defineProperty(stdout, 'columns', { value: 180, configurable: true });
    stdout.emit('resize');
    const wide = await waitForFrame(lastFrame, (f) => f.includes('the second body text'));
    const row = wide.split('\n').find((l) => l.includes('OPS-1')) ?? '';
    expect(row).toContain('first'); // the list is still there, beside the preview
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => f.includes('the first body text'));
    Object.defineProperty(stdout, 'columns', { value: 100, configurable: true });
    stdout.emit('resize');
    await waitForFrame(lastFrame, (f) => !f.includes('the first body text'));
    unmount();
  });
});
