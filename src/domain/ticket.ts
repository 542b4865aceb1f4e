/** Ticket vocabulary shared by every layer; the JSON shape is the contract of `cli.md`. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TICKET_STATES = ['todo', 'in_progress', 'needs_input', 'review', 'done'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const DEFAULT_SEVERITY: Severity = 'medium';

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export function isTicketState(value: string): value is TicketState {
  return (TICKET_STATES as readonly string[]).includes(value);
}

/** Where a ticket is bound. `adopted` is true only when the binding came from a busy answer. */
export interface RuntimeBinding {
  host: string;
  id: string;
  name: string | null;
  adopted: boolean;
}

export interface LastError {
  kind: string;
  status: number | null;
  host: string;
  message: string;
  at: string;
}

export interface TicketEvent {
  at: string;
  type: string;
  text: string;
}

export interface TicketMessageSummary {
  id: string;
  state: string;
  runtime: string;
  error: string | null;
}

export interface Ticket {
  key: string;
  title: string;
  severity: Severity;
  state: TicketState;
  owner: string | null;
  location: string | null;
  flaggedBy: string | null;
  sourceHash: string | null;
  body: string;
  suggestedFix: string | null;
  runtime: RuntimeBinding | null;
  lastError: LastError | null;
  messages: TicketMessageSummary[];
  events: TicketEvent[];
  createdAt: string;
  updatedAt: string;
}

/** What a user or an importer supplies to make a ticket; everything else is derived. */
export interface TicketDraft {
  key?: string;
  title: string;
  severity?: Severity;
  state?: TicketState;
  owner?: string | null;
  location?: string | null;
  flaggedBy?: string | null;
  sourceHash?: string | null;
  body?: string;
  suggestedFix?: string | null;
}

const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Keys end up in worktree names, tmux options and URLs, so they are kept plain. */
export function isValidTicketKey(key: string): boolean {
  return key.length <= 64 && KEY_PATTERN.test(key);
}

export const KEY_RULE =
  'letters, digits and "_" then "-" and a suffix, e.g. OPS-101 (at most 64 characters)';

/** How many tickets there are, in all and in each state (a first frame's counts). */
export interface TicketTotals {
  total: number;
  byState: Readonly<Record<TicketState, number>>;
}
