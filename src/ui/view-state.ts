import { withoutLastGrapheme } from './input/graphemes.js';

/** What the screen itself remembers (selection, overlays); pure, so it is tested without Ink. */
export interface ViewState {
  selected: number;
  helpOpen: boolean;
  /** The pickup chooser over the list, and its highlighted choice; absent when closed. */
  chooser?: { selected: number };
  /** The selected ticket's detail, scrolled this many lines; absent when closed. */
  detail?: { scroll: number };
  /** The runtimes table instead of the tickets; absent for tickets. */
  screen?: 'runtimes';
  /** The selection in the runtimes table. */
  runtimeSelected?: number;
  /** What has been typed over the help overlay, to find a key. */
  helpFilter?: string;
  /** "A pickup is under way: quit anyway?" is being asked. */
  confirmQuit?: true;
  /** The `:` command line while it is open, with what has been typed. */
  command?: { text: string };
  /** The live filter over the list; `editing` while keys go into it. */
  filter?: { text: string; editing: boolean };
  /** One runtime's console, full screen, scrolled back this many lines (0: live). */
  watch?: RuntimeRef & { scroll: number };
  /** A line being typed into a runtime without attaching (insert mode). */
  insert?: RuntimeRef & { text: string };
}

/** A runtime as the screen names it: where it runs, its id there, and what it is called. */
export interface RuntimeRef {
  host: string;
  id: string;
  name: string;
}

export type ViewIntent =
  | { type: 'move'; by: number }
  | { type: 'movePage'; pages: number }
  | { type: 'moveTo'; where: 'top' | 'bottom' }
  | { type: 'toggleHelp' }
  | { type: 'closeHelp' }
  | { type: 'quit' }
  | { type: 'openChooser' }
  | { type: 'moveChoice'; by: number }
  | { type: 'closeChooser' }
  /** Sends the highlighted choice: the screen closes the chooser, the dispatcher does the rest. */
  | { type: 'sendChoice' }
  | { type: 'openDetail' }
  | { type: 'scrollDetail'; by: number }
  | { type: 'closeDetail' }
  | { type: 'markSeen' }
  | { type: 'startFilter' }
  /** A typed character: the screen puts the key pressed into `text`. */
  | { type: 'filterText'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'endFilter' }
  | { type: 'clearFilter' }
  | { type: 'showScreen'; screen: 'tickets' | 'runtimes' }
  | { type: 'startCommand' }
  | { type: 'commandText'; text: string }
  | { type: 'commandBackspace' }
  /** Tab: the screen fills in the completed text. */
  | { type: 'completeCommand'; text: string }
  | { type: 'cancelCommand' }
  /** Enter: the screen carries the command out; the line closes. */
  | { type: 'runCommand' }
  | { type: 'helpText'; text: string }
  | { type: 'helpBackspace' }
  | { type: 'quitAnyway' }
  | { type: 'stay' }
  /** The screen fills in the runtime (the selected one) for these. */
  | { type: 'openWatch'; runtime?: RuntimeRef }
  | { type: 'scrollWatch'; pages: number; lines?: number }
  | { type: 'watchLive' }
  | { type: 'closeWatch' }
  | { type: 'attach' }
  | { type: 'toggleRecord' }
  /** Text left in the runtime's input line: submit it or clear it (the services do it). */
  | { type: 'settleInput'; action: 'submit' | 'clear' }
  | { type: 'startInsert'; runtime?: RuntimeRef }
  | { type: 'insertText'; text: string }
  | { type: 'insertBackspace' }
  /** Enter: the screen sends the line; the line empties for the next one. */
  | { type: 'sendInsert' }
  | { type: 'cancelInsert' };

export const INITIAL_VIEW: ViewState = { selected: 0, helpOpen: false };

export function clampSelection(selected: number, count: number): number {
  return count === 0 ? 0 : Math.min(Math.max(selected, 0), count - 1);
}

/**
 * `by` steps from `from`, counting only the choices that can be chosen; where none is left that
 * way, the cursor goes as far as the last one there is (or stays).
 */
function moveOverEnabled(
  from: number,
  by: number,
  rows: { choices?: number; choiceEnabled?: readonly boolean[] },
): number {
  const count = rows.choices ?? 0;
  const enabled = rows.choiceEnabled;
  if (!enabled) return clampSelection(from + by, count);
  const step = Math.sign(by);
  let at = from;
  for (let left = Math.abs(by), i = from + step; left > 0 && i >= 0 && i < count; i += step) {
    if (enabled[i] === false) continue;
    at = i;
    left -= 1;
  }
  return at;
}

export function viewReducer(
  view: ViewState,
  intent: ViewIntent,
  rows: {
    count: number;
    pageSize: number;
    choices?: number;
    /** Which choices can be chosen (the rest are listed disabled): the cursor skips the others. */
    choiceEnabled?: readonly boolean[];
    detailLines?: number;
    detailHeight?: number;
    /** The watched screen's height and its scrollback, for paging through it. */
    watchPage?: number;
    watchHistory?: number;
  },
): ViewState {
  if (
    view.screen === 'runtimes' &&
    (intent.type === 'move' || intent.type === 'movePage' || intent.type === 'moveTo')
  ) {
    // The runtimes table keeps a selection of its own: moving there leaves the tickets' alone.
    const moved = viewReducer(
      { ...view, screen: undefined, selected: view.runtimeSelected ?? 0 },
      intent,
      rows,
    );
    return { ...view, runtimeSelected: moved.selected };
  }
  switch (intent.type) {
    case 'showScreen': {
      if (intent.screen === 'runtimes') return { ...view, screen: 'runtimes' };
      const { screen: _tickets, ...rest } = view;
      return rest;
    }
    case 'move':
      return { ...view, selected: clampSelection(view.selected + intent.by, rows.count) };
    case 'movePage':
      return {
        ...view,
        selected: clampSelection(
          view.selected + intent.pages * Math.max(1, rows.pageSize),
          rows.count,
        ),
      };
    case 'moveTo':
      return {
        ...view,
        selected: intent.where === 'top' ? 0 : clampSelection(rows.count - 1, rows.count),
      };
    case 'toggleHelp':
    case 'closeHelp': {
      if (intent.type === 'closeHelp' && !view.helpOpen) return view;
      const { helpFilter: _typed, ...rest } = view;
      return { ...rest, helpOpen: !view.helpOpen };
    }
    case 'helpText':
      return view.helpOpen ? { ...view, helpFilter: (view.helpFilter ?? '') + intent.text } : view;
    case 'helpBackspace':
      return view.helpOpen
        ? { ...view, helpFilter: withoutLastGrapheme(view.helpFilter ?? '') }
        : view;
    case 'openChooser':
      return {
        ...view,
        chooser: { selected: Math.max(0, rows.choiceEnabled?.indexOf(true) ?? 0) },
      };
    case 'moveChoice': {
      if (!view.chooser) return view;
      const from = clampSelection(view.chooser.selected, rows.choices ?? 0);
      return { ...view, chooser: { selected: moveOverEnabled(from, intent.by, rows) } };
    }
    case 'closeChooser':
    case 'sendChoice': {
      if (!view.chooser) return view;
      const { chooser: _closed, ...rest } = view;
      return rest;
    }
    case 'openDetail':
      return { ...view, detail: { scroll: 0 } };
    case 'scrollDetail': {
      if (!view.detail) return view;
      const last = Math.max(0, (rows.detailLines ?? 0) - (rows.detailHeight ?? rows.pageSize));
      const scroll = Math.min(Math.max(view.detail.scroll + intent.by, 0), last);
      return { ...view, detail: { scroll } };
    }
    case 'closeDetail': {
      if (!view.detail) return view;
      const { detail: _closed, ...rest } = view;
      return rest;
    }
    case 'startCommand':
      return { ...view, command: { text: '' } };
    case 'commandText':
      return view.command ? { ...view, command: { text: view.command.text + intent.text } } : view;
    case 'completeCommand':
      return view.command ? { ...view, command: { text: intent.text } } : view;
    case 'commandBackspace':
      return view.command
        ? { ...view, command: { text: withoutLastGrapheme(view.command.text) } }
        : view;
    case 'cancelCommand':
    case 'runCommand': {
      if (!view.command) return view;
      const { command: _closed, ...rest } = view;
      return rest;
    }
    case 'startFilter':
      return { ...view, filter: { text: view.filter?.text ?? '', editing: true } };
    case 'filterText':
      if (!view.filter?.editing) return view;
      // A new filter starts at the top of what it leaves.
      return {
        ...view,
        selected: 0,
        filter: { ...view.filter, text: view.filter.text + intent.text },
      };
    case 'filterBackspace':
      if (!view.filter?.editing) return view;
      return {
        ...view,
        selected: 0,
        filter: { ...view.filter, text: withoutLastGrapheme(view.filter.text) },
      };
    case 'endFilter': {
      if (!view.filter) return view;
      if (view.filter.text === '') {
        const { filter: _gone, ...rest } = view;
        return rest;
      }
      return { ...view, filter: { ...view.filter, editing: false } };
    }
    case 'clearFilter': {
      if (!view.filter) return view;
      const { filter: _gone, ...rest } = view;
      return { ...rest, selected: 0 };
    }
    case 'stay': {
      const { confirmQuit: _asked, ...rest } = view;
      return rest;
    }
    case 'openWatch':
      return intent.runtime ? { ...view, watch: { ...intent.runtime, scroll: 0 } } : view;
    case 'scrollWatch': {
      if (!view.watch) return view;
      const by = intent.pages * Math.max(1, rows.watchPage ?? rows.pageSize) + (intent.lines ?? 0);
      const scroll = Math.min(Math.max(view.watch.scroll + by, 0), rows.watchHistory ?? 0);
      return { ...view, watch: { ...view.watch, scroll } };
    }
    case 'watchLive':
      return view.watch ? { ...view, watch: { ...view.watch, scroll: 0 } } : view;
    case 'closeWatch': {
      if (!view.watch) return view;
      const { watch: _closed, ...rest } = view;
      return rest;
    }
    case 'startInsert':
      return intent.runtime ? { ...view, insert: { ...intent.runtime, text: '' } } : view;
    case 'insertText':
      return view.insert
        ? { ...view, insert: { ...view.insert, text: view.insert.text + intent.text } }
        : view;
    case 'insertBackspace':
      return view.insert
        ? { ...view, insert: { ...view.insert, text: withoutLastGrapheme(view.insert.text) } }
        : view;
    case 'sendInsert':
      return view.insert ? { ...view, insert: { ...view.insert, text: '' } } : view;
    case 'cancelInsert': {
      if (!view.insert) return view;
      const { insert: _closed, ...rest } = view;
      return rest;
    }
    case 'quit':
    case 'quitAnyway':
    case 'markSeen':
    case 'attach':
    case 'toggleRecord':
    case 'settleInput':
      return view;
  }
}

/** The first row shown so that the selection stays in a window of `height` rows. */
export function windowStart(selected: number, height: number, previousStart: number): number {
  if (height <= 0) return 0;
  if (selected < previousStart) return selected;
  if (selected >= previousStart + height) return selected - height + 1;
  return previousStart;
}
