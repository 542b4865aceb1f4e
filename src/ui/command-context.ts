import { inputLeft, type Ticket } from '../domain/index.js';
import type { RuntimeView } from '../store/selectors.js';
import type { CommandContext } from './commands/registry.js';
import { clampSelection, type RuntimeRef, type ViewState } from './view-state.js';

/** What the commands may look at, gathered by the screen from its stores and hooks. */
export interface ContextInputs {
  view: ViewState;
  choiceCount: number;
  /** Why the highlighted choice cannot take the ticket, when it cannot. */
  choiceDisabled?: string | undefined;
  inFlight: number;
  unseen: number;
  readonly: boolean;
  /** The runtimes table's rows, in its order. */
  runtimeRows: readonly RuntimeView[];
  /** The tickets as the view lists them (filtered for it). */
  order: readonly string[];
  tickets: Readonly<Record<string, Ticket>>;
  isSending(key: string): boolean;
  /** `host:id` of the runtimes being recorded. */
  recorded: ReadonlySet<string>;
}

/**
 * The context the registry decides with, for a view (the render's, or one a quicker key made):
 * what is selected, and the runtime the runtime commands would act on (the watched one, the one
 * selected in the runtimes table, or the selected ticket's), or why there is none.
 */
export function commandContext(inputs: ContextInputs): CommandContext {
  const { view, runtimeRows, order, tickets } = inputs;
  const describe = (r: RuntimeRef) => ({
    host: r.host,
    id: r.id,
    name: r.name,
    recording: inputs.recorded.has(`${r.host}:${r.id}`),
  });
  const common = {
    choiceCount: inputs.choiceCount,
    ...(inputs.choiceDisabled !== undefined ? { choiceDisabled: inputs.choiceDisabled } : {}),
    inFlight: inputs.inFlight,
    unseen: inputs.unseen,
    readonly: inputs.readonly,
  };
  if (view.watch) return { ...common, view, ticketCount: 0, runtime: describe(view.watch) };
  if (view.screen === 'runtimes') {
    const row = runtimeRows[clampSelection(view.runtimeSelected ?? 0, runtimeRows.length)];
    return {
      ...common,
      view,
      ticketCount: runtimeRows.length,
      runtime: row
        ? {
            ...describe({ host: row.host, id: row.id, name: row.name || row.id }),
            inputLeft: !row.gone && inputLeft(row),
          }
        : { none: 'no runtimes' },
    };
  }
  const selected = clampSelection(view.selected, order.length);
  const key = order[selected];
  const ticket = key === undefined ? undefined : tickets[key];
  const bound = ticket?.runtime;
  return {
    ...common,
    view: { ...view, selected },
    ticketCount: order.length,
    ...(ticket ? { selected: { state: ticket.state, sending: inputs.isSending(ticket.key) } } : {}),
    runtime: bound
      ? describe({ host: bound.host, id: bound.id, name: bound.name ?? bound.id })
      : { none: ticket ? `${ticket.key} has no runtime` : 'no tickets yet' },
  };
}
