/** What the screen itself remembers (selection, overlays); pure, so it is tested without Ink. */
export interface ViewState {
  selected: number;
  helpOpen: boolean;
}

export type ViewIntent =
  | { type: 'move'; by: number }
  | { type: 'movePage'; pages: number }
  | { type: 'moveTo'; where: 'top' | 'bottom' }
  | { type: 'toggleHelp' }
  | { type: 'closeHelp' }
  | { type: 'quit' };

export const INITIAL_VIEW: ViewState = { selected: 0, helpOpen: false };

export function clampSelection(selected: number, count: number): number {
  return count === 0 ? 0 : Math.min(Math.max(selected, 0), count - 1);
}

export function viewReducer(
  view: ViewState,
  intent: ViewIntent,
  rows: { count: number; pageSize: number },
): ViewState {
  switch (intent.type) {
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
      return { ...view, helpOpen: !view.helpOpen };
    case 'closeHelp':
      return view.helpOpen ? { ...view, helpOpen: false } : view;
    case 'quit':
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
