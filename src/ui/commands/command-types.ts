import type { TicketState } from '../../domain/index.js';
import type { ViewIntent, ViewState } from '../view-state.js';

/** The shapes of the command registry (registry.ts); the tables themselves are beside it. */

export type SpecialKey =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'escape'
  | 'return'
  | 'backspace'
  | 'tab';

export interface KeyBinding {
  /** A printable key, as typed (`j`, `G`, `?`). */
  input?: string;
  special?: SpecialKey;
  ctrl?: boolean;
  /** Any printable character (typing into a filter or the command line). */
  text?: true;
}

export interface CommandContext {
  view: ViewState;
  ticketCount: number;
  /** The selected ticket's state, and whether a pickup of it is under way here. */
  selected?: { state: TicketState; sending: boolean };
  /** Choices in the pickup chooser. */
  choiceCount?: number;
  /** Why the highlighted choice cannot take the ticket, when it cannot. */
  choiceDisabled?: string;
  /** Pickups under way in this control room. */
  inFlight?: number;
  unseen?: number;
  /**
   * The runtime the runtime commands act on: the watched one, the selected one in the runtimes
   * table, or the selected ticket's; null when there is none (with why).
   */
  runtime?:
    | {
        host: string;
        id: string;
        name: string;
        recording: boolean;
        /** Text waits in its input line (`input not empty`): it may be submitted or cleared. */
        inputLeft?: boolean;
      }
    | { none: string };
  /** `--readonly`: this control room watches and never sends, attaches or closes. */
  readonly?: boolean;
}

export type CommandCategory = 'Navigation' | 'Tickets' | 'Runtimes' | 'Views' | 'Application';

export interface CommandDef {
  id: string;
  description: string;
  category: CommandCategory;
  keys: readonly KeyBinding[];
  intent: ViewIntent;
  /** Shown in the footer of the views where it applies. */
  footer: boolean;
  /** Where the command applies at all; elsewhere its keys mean nothing. */
  appliesIn?: (ctx: CommandContext) => boolean;
  /** Why it cannot run now, or null when it can. */
  disabledReason?: (ctx: CommandContext) => string | null;
}
