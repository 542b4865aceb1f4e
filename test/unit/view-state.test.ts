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

describe('viewReducer: watching a runtime and typing into it', () => {
  const alpha = { host: 'local', id: 'rt_1', name: 'alpha' };
  const base: ViewState = { selected: 2, helpOpen: false, screen: 'runtimes', runtimeSelected: 1 };
  const watching = (scroll: number): ViewState => ({ ...base, watch: { ...alpha, scroll } });
  const typing = (text: string, over: ViewState = base): ViewState => ({
    ...over,
    insert: { ...alpha, text },
  });
  // A watched pane 5 rows high with 12 lines of scrollback.
  const withWatch = { ...rows, watchPage: 5, watchHistory: 12 };

  it.each<[string, ViewState, ViewIntent, ViewState]>([
    ['w opens the watch, live', base, { type: 'openWatch', runtime: alpha }, watching(0)],
    ['PgUp scrolls back a page', watching(0), { type: 'scrollWatch', pages: 1 }, watching(5)],
    [
      'not further back than the scrollback',
      watching(10),
      { type: 'scrollWatch', pages: 1 },
      watching(12),
    ],
    ['PgDn scrolls forward a page', watching(7), { type: 'scrollWatch', pages: -1 }, watching(2)],
    ['not past live', watching(3), { type: 'scrollWatch', pages: -1 }, watching(0)],
    [
      'k scrolls back a line',
      watching(4),
      { type: 'scrollWatch', pages: 0, lines: 1 },
      watching(5),
    ],
    [
      'j scrolls forward a line',
      watching(4),
      { type: 'scrollWatch', pages: 0, lines: -1 },
      watching(3),
    ],
    ['G goes back to live', watching(9), { type: 'watchLive' }, watching(0)],
    ['Esc stops watching, the table as it was', watching(9), { type: 'closeWatch' }, base],
    [
      'a leaves the view as it is (the screen attaches)',
      watching(3),
      { type: 'attach' },
      watching(3),
    ],
    ['r leaves the view as it is (the screen records)', base, { type: 'toggleRecord' }, base],
    ['i opens an empty line', base, { type: 'startInsert', runtime: alpha }, typing('')],
    [
      'i while watching keeps the watch under the line',
      watching(2),
      { type: 'startInsert', runtime: alpha },
      typing('', watching(2)),
    ],
    ['a key goes into the line', typing('ye'), { type: 'insertText', text: 's' }, typing('yes')],
    ['Backspace deletes a character', typing('yes'), { type: 'insertBackspace' }, typing('ye')],
    [
      'Backspace deletes a whole emoji, not half of it',
      typing('ok👍'),
      { type: 'insertBackspace' },
      typing('ok'),
    ],
    [
      'Backspace deletes a whole grapheme: an accent, a skin tone, a flag go with their letter',
      typing('e\u0301👍🏽🇫🇷'),
      { type: 'insertBackspace' },
      typing('e\u0301👍🏽'),
    ],
    [
      'Backspace on an empty line does nothing',
      typing(''),
      { type: 'insertBackspace' },
      typing(''),
    ],
    [
      'Enter sends: the line empties and stays open',
      typing('y'),
      { type: 'sendInsert' },
      typing(''),
    ],
    ['Esc stops typing', typing('half'), { type: 'cancelInsert' }, base],
    [
      'Esc stops typing back to the watch',
      typing('half', watching(2)),
      { type: 'cancelInsert' },
      watching(2),
    ],
  ])('%s', (_name, view, intent, expected) => {
    expect(viewReducer(view, intent, withWatch)).toEqual(expected);
  });

  it('pages by the list height when the screen does not say how tall the watch is', () => {
    expect(
      viewReducer(watching(0), { type: 'scrollWatch', pages: 1 }, { ...rows, watchHistory: 12 }),
    ).toEqual(watching(4));
  });

  it('cannot scroll back without scrollback', () => {
    expect(viewReducer(watching(0), { type: 'scrollWatch', pages: 1 }, rows)).toEqual(watching(0));
  });

  it('opens nothing without a runtime (the screen fills in the selected one)', () => {
    for (const intent of [{ type: 'openWatch' }, { type: 'startInsert' }] as ViewIntent[]) {
      expect(viewReducer(base, intent, withWatch)).toBe(base);
    }
  });

  it('leaves a closed watch or insert line alone', () => {
    for (const intent of [
      { type: 'scrollWatch', pages: 1 },
      { type: 'watchLive' },
      { type: 'closeWatch' },
      { type: 'insertText', text: 'y' },
      { type: 'insertBackspace' },
      { type: 'sendInsert' },
      { type: 'cancelInsert' },
    ] as ViewIntent[]) {
      expect(viewReducer(base, intent, withWatch)).toBe(base);
    }
  });
});

describe('Backspace in every typed line deletes one grapheme', () => {
  const fits = { count: 1, pageSize: 4 };
  it('in the command line, the filter and the help search', () => {
    const command = viewReducer(
      { ...at(0), command: { text: 'ok👍🏽' } },
      { type: 'commandBackspace' },
      fits,
    );
    expect(command.command?.text).toBe('ok');
    const filter = viewReducer(
      { ...at(0), filter: { text: 'café', editing: true } },
      { type: 'filterBackspace' },
      fits,
    );
    expect(filter.filter?.text).toBe('caf');
    const help = viewReducer(
      { ...at(0, true), helpFilter: 'e\u0301' },
      { type: 'helpBackspace' },
      fits,
    );
    expect(help.helpFilter).toBe('');
  });
});

describe('the chooser cursor passes over disabled choices', () => {
  const enabled = [false, true, false, false, true, true, false];
  const choiceRows = { ...rows, choices: enabled.length, choiceEnabled: enabled };
  const chooserAt = (selected: number): ViewState => ({ ...at(0), chooser: { selected } });
  it('opens on the first choice that can be chosen', () => {
    expect(viewReducer(at(0), { type: 'openChooser' }, choiceRows).chooser).toEqual({
      selected: 1,
    });
    const none = { ...rows, choices: 2, choiceEnabled: [false, false] };
    expect(viewReducer(at(0), { type: 'openChooser' }, none).chooser).toEqual({ selected: 0 });
  });
  it.each([
    [1, 1, 4],
    [4, 1, 5],
    [5, 1, 5],
    [5, -1, 4],
    [4, -1, 1],
    [1, -1, 1],
    [1, 2, 5],
    [1, 9, 5],
    [5, -9, 1],
  ])('from %i by %i lands on %i', (from, by, to) => {
    expect(viewReducer(chooserAt(from), { type: 'moveChoice', by }, choiceRows).chooser).toEqual({
      selected: to,
    });
  });
});
