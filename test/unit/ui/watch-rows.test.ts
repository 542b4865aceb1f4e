import { describe, expect, it } from 'vitest';
import type { WatchedScreen } from '../../../src/domain/index.js';
import { fitRows } from '../../../src/ui/components/WatchView.js';

function screen(lines: string[], cursorY: number, scroll = 0): WatchedScreen {
  return {
    cols: 80,
    rows: lines.length,
    lines,
    cursor: { x: 0, y: cursorY },
    history: 0,
    scroll,
  };
}

const agent = ['output 1', 'output 2', '', '', '', '', '', '', 'status line', '› typed'];

describe('fitting a runtime screen to the watch panel', () => {
  it.each([
    ['a screen that fits is shown whole', agent, 9, 10, agent, 0],
    [
      'blank rows below the text and the cursor are dropped',
      ['a', 'b', '', '', ''],
      1,
      3,
      ['a', 'b'],
      0,
    ],
    ['the cursor row is kept when live, even blank', ['a', '', '', ''], 2, 5, ['a', '', ''], 0],
    [
      'a taller screen closes its blank runs: the output and the prompt both show',
      agent,
      9,
      5,
      ['output 1', 'output 2', '', 'status line', '› typed'],
      0,
    ],
    [
      'still too tall: the newest rows, with a count of the hidden ones with text',
      ['1', '2', '3', '4', '5', '6'],
      5,
      4,
      ['3', '4', '5', '6'],
      2,
    ],
    [
      'a row of nothing but colour codes counts as blank',
      ['x', '\u001b[0m', '\u001b[31m\u001b[0m', 'y'],
      3,
      3,
      ['x', '\u001b[0m', 'y'],
      0,
    ],
  ])('%s', (_name, lines, cursor, rows, shown, hidden) => {
    expect(fitRows(screen(lines, cursor), rows)).toEqual({ lines: shown, hidden });
  });

  it('scrolled back, the cursor does not hold blank rows', () => {
    expect(fitRows(screen(['a', '', ''], 2, 5), 5)).toEqual({ lines: ['a'], hidden: 0 });
  });
});
