import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { createAppStore, emptyState, type RuntimeView } from '../../../src/store/index.js';
import { RuntimeList, stateColour } from '../../../src/ui/components/RuntimeList.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME, type Theme } from '../../../src/ui/theme/theme.js';
import { makeRuntimeEntry } from '../helpers/tickets.js';

const NOW = Date.parse('2026-11-25T07:00:00Z');

function view(id: string, overrides: Partial<RuntimeView> = {}): RuntimeView {
  return {
    ...makeRuntimeEntry({ id, name: `mc-${id}`, cwd: `/srv/work/${id}`, ...overrides }),
    adopted: false,
    ticketKey: null,
    queued: [],
    hostFailure: null,
    ...overrides,
  };
}

function renderList(
  rows: readonly RuntimeView[],
  {
    selectedRow = -1,
    width = 80,
    spinnerFrame = 0,
    activity = {},
  }: {
    selectedRow?: number;
    width?: number;
    spinnerFrame?: number;
    activity?: Record<string, readonly number[]>;
  } = {},
) {
  const { lastFrame, unmount } = render(
    <Providers store={createAppStore(emptyState())} theme={NO_COLOR_THEME}>
      <RuntimeList
        rows={rows}
        selectedRow={selectedRow}
        width={width}
        nowMs={NOW}
        spinnerFrame={spinnerFrame}
        activity={activity}
        home="/home/ana"
      />
    </Providers>,
  );
  const frame = lastFrame() ?? '';
  unmount();
  return { frame, lines: frame.split('\n') };
}

const rows = [
  view('rt_1', { state: 'busy', ticketKey: 'OPS-7' }),
  view('rt_2', { state: 'needs_input' }),
  view('rt_3', { state: 'idle', gone: true }),
];

describe('runtime list', () => {
  it('has a header row naming the columns that fit', () => {
    const { lines } = renderList(rows);
    expect(lines[0]).toMatch(/^ {2}NAME +HOST +STATE +TICKET +FOLDER +LAST/);
    // At 80 columns the lowest-priority columns are dropped, not squeezed.
    expect(lines[0]).not.toContain('PROFILE');
    expect(lines[0]).not.toContain('ACTIVITY');
  });

  it('shows a busy runtime with the spinner frame it is given', () => {
    const first = renderList(rows, { spinnerFrame: 0 }).lines[1];
    const third = renderList(rows, { spinnerFrame: 2 }).lines[1];
    expect(first).toContain('mc-rt_1');
    expect(first).toContain('⠋ busy');
    expect(third).toContain('⠹ busy');
    expect(first).toContain('OPS-7');
  });

  it('marks a runtime that needs input and one that is gone', () => {
    const { lines } = renderList(rows);
    expect(lines[2]).toContain('mc-rt_2');
    expect(lines[2]).toContain('! needs input');
    expect(lines[3]).toContain('mc-rt_3');
    expect(lines[3]).toMatch(/\bgone\b/);
  });

  it('marks the selected row with the same gutter as the ticket list', () => {
    const { lines } = renderList(rows, { selectedRow: 1 });
    expect(lines[2]?.startsWith('› mc-rt_2')).toBe(true);
    expect(lines[1]?.startsWith('  mc-rt_1')).toBe(true);
    expect(lines[3]?.startsWith('  mc-rt_3')).toBe(true);
    expect(renderList(rows).frame).not.toContain('›');
  });

  it('renders exactly the rows it is given, one line each, none wider than the width', () => {
    const many = Array.from({ length: 5 }, (_, i) => view(`rt_${i}`));
    const { lines } = renderList(many.slice(0, 3));
    expect(lines).toHaveLength(4); // the header and three rows
    expect(lines.join('\n')).not.toContain('mc-rt_3');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
  });

  it('draws the sparkline from the activity of its own host:id, blank without any', () => {
    // ink-testing-library's terminal is 100 wide; at 100 only the uptime is dropped.
    const { lines } = renderList([view('rt_1'), view('rt_2')], {
      width: 100,
      activity: { 'h1:rt_1': [0, 2, 4], 'h2:rt_2': [9] },
    });
    expect(lines[0]).toContain('ACTIVITY');
    expect(lines[1]).toContain('▁▅█');
    // rt_2 is on h1: the h2 entry is someone else's, so its sparkline is blank.
    expect(lines[2]).not.toMatch(/[▁▂▃▄▅▆▇█]/);
  });

  it('never lets an escape sequence from a name, path or ticket reach the frame', () => {
    const evil = view('rt_9', {
      name: 'ev\u001b]52;c;SGVsbG8=\u0007il\u001b[2J',
      cwd: '/srv/\u001b]0;pwned\u0007x\u009b31m',
      ticketKey: 'OPS\u001b[1A-1',
      host: 'h\u001bc9',
    });
    const { frame } = renderList([evil], { selectedRow: 0 });
    expect(frame).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(frame).toContain('evil');
    expect(frame).toContain('/srv/x');
    expect(frame).toContain('OPS-1');
  });

  it('colours the state through theme tokens', () => {
    const theme: Theme = {
      ...NO_COLOR_THEME,
      accent: 'blue',
      warning: 'yellow',
      muted: 'gray',
      success: 'green',
      text: 'white',
    };
    expect(stateColour(theme, 'busy')).toBe('blue');
    expect(stateColour(theme, 'attention')).toBe('yellow');
    expect(stateColour(theme, 'ended')).toBe('gray');
    expect(stateColour(theme, 'ready')).toBe('green');
    expect(stateColour(theme, 'plain')).toBe('white');
  });
});
