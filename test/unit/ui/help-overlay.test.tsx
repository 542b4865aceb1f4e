import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { HelpOverlay, helpRows } from '../../../src/ui/components/HelpOverlay.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';

describe('the help overlay', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('keys its rows uniquely even when two commands read alike (Backspace in each typed line)', () => {
    const rows = helpRows('delete');
    // The case that broke: several "Backspace delete a character" rows in one column.
    expect(rows.filter((r) => r.text.includes('delete a character')).length).toBeGreaterThan(1);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { lastFrame, unmount } = render(
      <Providers store={createAppStore(stateWithTickets([]))} theme={NO_COLOR_THEME}>
        <HelpOverlay width={80} height={30} filter="delete" />
      </Providers>,
    );
    expect(lastFrame()).toContain('delete a character');
    unmount();
    const keyWarnings = errors.mock.calls.filter((call) =>
      call.some((arg) => String(arg).includes('same key')),
    );
    expect(keyWarnings).toEqual([]);
  });
});
