import { describe, expect, it } from 'vitest';
import {
  INITIAL_VIEW,
  type ViewIntent,
  type ViewState,
  viewReducer,
  windowStart,
} from '../../src/ui/view-state.js';

const rows = { count: 10, pageSize: 4 };
const at = (selected: number, helpOpen = false): ViewState => ({ selected, helpOpen });

describe('viewReducer', () => {
  it.each<[string, ViewState, ViewIntent, ViewState]>([
    ['down one', at(0), { type: 'move', by: 1 }, at(1)],
    ['up one', at(3), { type: 'move', by: -1 }, at(2)],
    ['not above the first', at(0), { type: 'move', by: -1 }, at(0)],
    ['not past the last', at(9), { type: 'move', by: 1 }, at(9)],
    ['a page down', at(1), { type: 'movePage', pages: 1 }, at(5)],
    ['a page down stops at the end', at(8), { type: 'movePage', pages: 1 }, at(9)],
    ['a page up stops at the top', at(2), { type: 'movePage', pages: -1 }, at(0)],
    ['to the top', at(7), { type: 'moveTo', where: 'top' }, at(0)],
    ['to the bottom', at(2), { type: 'moveTo', where: 'bottom' }, at(9)],
    ['help opens', at(2), { type: 'toggleHelp' }, at(2, true)],
    ['help toggles shut', at(2, true), { type: 'toggleHelp' }, at(2)],
    ['Esc closes help', at(2, true), { type: 'closeHelp' }, at(2)],
  ])('%s', (_name, view, intent, expected) => {
    expect(viewReducer(view, intent, rows)).toEqual(expected);
  });

  it('keeps the selection at 0 on an empty list', () => {
    expect(
      viewReducer(INITIAL_VIEW, { type: 'moveTo', where: 'bottom' }, { count: 0, pageSize: 4 }),
    ).toEqual(INITIAL_VIEW);
  });

  it('returns the same view when closing help that is not open', () => {
    const view = at(3);
    expect(viewReducer(view, { type: 'closeHelp' }, rows)).toBe(view);
  });
});

describe('windowStart', () => {
  it.each([
    [0, 5, 0, 0],
    [4, 5, 0, 0],
    [5, 5, 0, 1],
    [2, 5, 3, 2],
    [20, 5, 3, 16],
    [3, 0, 9, 0],
  ])(
    'selected %i in a window of %i from %i starts at %i',
    (selected, height, previous, expected) => {
      expect(windowStart(selected, height, previous)).toBe(expected);
    },
  );
});

describe('viewReducer: the chooser and the detail', () => {
  const base: ViewState = { selected: 2, helpOpen: false };
  const withChoices = { ...rows, choices: 3, detailLines: 10 };

  it.each<[string, ViewState, ViewIntent, ViewState]>([
    [
      'p opens the chooser on its first choice',
      base,
      { type: 'openChooser' },
      { ...base, chooser: { selected: 0 } },
    ],
    [
      'j moves to the next choice',
      { ...base, chooser: { selected: 0 } },
      { type: 'moveChoice', by: 1 },
      { ...base, chooser: { selected: 1 } },
    ],
    [
      'not past the last choice',
      { ...base, chooser: { selected: 2 } },
      { type: 'moveChoice', by: 1 },
      { ...base, chooser: { selected: 2 } },
    ],
    ['Esc closes it', { ...base, chooser: { selected: 1 } }, { type: 'closeChooser' }, base],
    ['sending closes it', { ...base, chooser: { selected: 1 } }, { type: 'sendChoice' }, base],
    [
      'Enter opens the detail at its top',
      base,
      { type: 'openDetail' },
      { ...base, detail: { scroll: 0 } },
    ],
    [
      'j scrolls it',
      { ...base, detail: { scroll: 0 } },
      { type: 'scrollDetail', by: 1 },
      { ...base, detail: { scroll: 1 } },
    ],
    [
      'not past the last screenful',
      { ...base, detail: { scroll: 6 } },
      { type: 'scrollDetail', by: 1 },
      { ...base, detail: { scroll: 6 } },
    ],
    [
      'not above the top',
      { ...base, detail: { scroll: 0 } },
      { type: 'scrollDetail', by: -1 },
      { ...base, detail: { scroll: 0 } },
    ],
    ['Esc closes it', { ...base, detail: { scroll: 3 } }, { type: 'closeDetail' }, base],
  ])('%s', (_name, view, intent, expected) => {
    expect(viewReducer(view, intent, withChoices)).toEqual(expected);
  });

  it('leaves a closed chooser or detail alone', () => {
    for (const intent of [
      { type: 'moveChoice', by: 1 },
      { type: 'closeChooser' },
      { type: 'sendChoice' },
      { type: 'scrollDetail', by: 1 },
      { type: 'closeDetail' },
    ] as ViewIntent[]) {
      expect(viewReducer(base, intent, withChoices)).toBe(base);
    }
  });
});

describe('viewReducer: the runtimes screen', () => {
  it('keeps a selection of its own, and the tickets keep theirs', () => {
    const onTickets: ViewState = { selected: 3, helpOpen: false };
    const onRuntimes = viewReducer(onTickets, { type: 'showScreen', screen: 'runtimes' }, rows);
    expect(onRuntimes).toEqual({ ...onTickets, screen: 'runtimes' });
    const moved = viewReducer(onRuntimes, { type: 'move', by: 2 }, rows);
    expect(moved).toEqual({ ...onRuntimes, runtimeSelected: 2 });
    const bottom = viewReducer(moved, { type: 'moveTo', where: 'bottom' }, rows);
    expect(bottom.runtimeSelected).toBe(9);
    const back = viewReducer(bottom, { type: 'showScreen', screen: 'tickets' }, rows);
    expect(back).toEqual({ selected: 3, helpOpen: false, runtimeSelected: 9 });
  });
});
