import type { CommandDef } from './command-types.js';
import { commanding, filtering, inList, inTickets } from './contexts.js';

/**
 * The commands of the two typing modes, the `:` line and the `/` filter. They come first in the
 * registry: while a mode is open it takes every key, before any other command sees it.
 */
export const TYPING_COMMANDS: readonly CommandDef[] = [
  // The command line takes every key while it is open: these come first of all.
  {
    id: 'command.run',
    description: 'run the command',
    category: 'Application',
    keys: [{ special: 'return' }],
    intent: { type: 'runCommand' },
    footer: true,
    appliesIn: commanding,
  },
  {
    id: 'command.cancel',
    description: 'close the command line',
    category: 'Application',
    keys: [{ special: 'escape' }],
    intent: { type: 'cancelCommand' },
    footer: true,
    appliesIn: commanding,
  },
  {
    id: 'command.complete',
    description: 'complete',
    category: 'Application',
    keys: [{ special: 'tab' }],
    intent: { type: 'completeCommand', text: '' },
    footer: true,
    appliesIn: commanding,
  },
  {
    id: 'command.backspace',
    description: 'delete a character',
    category: 'Application',
    keys: [{ special: 'backspace' }],
    intent: { type: 'commandBackspace' },
    footer: false,
    appliesIn: commanding,
  },
  {
    id: 'command.type',
    description: 'type a command',
    category: 'Application',
    keys: [{ text: true }],
    intent: { type: 'commandText', text: '' },
    footer: false,
    appliesIn: commanding,
  },
  {
    id: 'command.start',
    description: 'command line',
    category: 'Application',
    keys: [{ input: ':' }],
    intent: { type: 'startCommand' },
    footer: true,
    appliesIn: inList,
  },
  // While the filter is being typed, keys go into it: these come first.
  {
    id: 'filter.done',
    description: 'keep the filter',
    category: 'Navigation',
    keys: [{ special: 'return' }],
    intent: { type: 'endFilter' },
    footer: true,
    appliesIn: filtering,
  },
  {
    id: 'filter.clear',
    description: 'clear the filter',
    category: 'Navigation',
    keys: [{ special: 'escape' }],
    intent: { type: 'clearFilter' },
    footer: true,
    appliesIn: (ctx) => filtering(ctx) || (inTickets(ctx) && ctx.view.filter !== undefined),
  },
  {
    id: 'filter.backspace',
    description: 'delete a character',
    category: 'Navigation',
    keys: [{ special: 'backspace' }],
    intent: { type: 'filterBackspace' },
    footer: false,
    appliesIn: filtering,
  },
  {
    id: 'filter.type',
    description: 'type the filter',
    category: 'Navigation',
    keys: [{ text: true }],
    intent: { type: 'filterText', text: '' },
    footer: false,
    appliesIn: filtering,
  },
  {
    id: 'filter.start',
    description: 'filter the list',
    category: 'Navigation',
    keys: [{ input: '/' }],
    intent: { type: 'startFilter' },
    footer: true,
    appliesIn: inTickets,
  },
];
