import { describe, expect, it } from 'vitest';
import { reducer } from '../../../src/store/reducer.js';
import { emptyState } from '../../../src/store/state.js';
import { statusParts } from '../../../src/ui/components/StatusBar.js';
import { renderApp, ticket, waitForFrame } from './render-app.js';

describe('the status bar', () => {
  it('names each host, local first, failing ones with what failed, then the outbox', () => {
    const parts = statusParts(
      {
        zed: { ok: true, detail: '' },
        local: { ok: true, detail: '' },
        bb: { ok: false, detail: 'connect ECONNREFUSED \u001B[31m127.0.0.1:7420' },
      },
      { pending: 2, unknown: 1 },
    );
    expect(parts).toEqual([
      { text: 'local ✓', tone: 'ok' },
      { text: 'bb ✗ connect ECONNREFUSED 127.0.0.1:7420', tone: 'bad' },
      { text: 'zed ✓', tone: 'ok' },
      { text: 'outbox: 2 waiting', tone: 'warn' },
      { text: '1 unknown', tone: 'bad' },
    ]);
    expect(statusParts({}, { pending: 0, unknown: 0 })).toEqual([
      { text: 'outbox: 0 waiting', tone: 'plain' },
    ]);
  });

  it('keeps the same state when a health or a count did not change', () => {
    const once = reducer(emptyState(), { type: 'host/health', host: 'bb', ok: false, detail: 'x' });
    expect(once.hosts.bb).toEqual({ ok: false, detail: 'x' });
    expect(reducer(once, { type: 'host/health', host: 'bb', ok: false, detail: 'x' })).toBe(once);
    const counted = reducer(once, { type: 'outbox/counted', pending: 1, unknown: 0 });
    expect(counted.outbox).toEqual({ pending: 1, unknown: 0 });
    expect(reducer(counted, { type: 'outbox/counted', pending: 1, unknown: 0 })).toBe(counted);
  });

  it('shows on the screen, and follows the store', async () => {
    const { lastFrame, store, unmount } = renderApp([ticket('OPS-1')]);
    expect(lastFrame()).toContain('outbox: 0 waiting');
    store
      .getState()
      .dispatch({ type: 'host/health', host: 'bb', ok: false, detail: 'unreachable' });
    store.getState().dispatch({ type: 'outbox/counted', pending: 3, unknown: 2 });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('outbox: 3 waiting'));
    expect(frame).toContain('bb ✗ unreachable');
    expect(frame).toContain('2 unknown');
    unmount();
  });
});
