/** A tmux runtime as the runtime host API (`runtime-api.md`) describes it. */

/**
 * `unknown`: read once, the screen did not say (a quiet agent may be thinking); the control room
 * says so rather than guess idle.
 */
export const RUNTIME_STATES = [
  'starting',
  'idle',
  'busy',
  'needs_input',
  'exited',
  'unknown',
] as const;
export type RuntimeState = (typeof RUNTIME_STATES)[number];

/**
 * The agent's input line, read off its screen: `text` when something sits in it (left by a send
 * that stopped between its paste and its Enter, or typed by hand), which a send never types
 * after; `unknown` when the screen does not say (an agent whose input line is not known).
 */
export const RUNTIME_INPUTS = ['empty', 'text', 'unknown'] as const;
export type RuntimeInput = (typeof RUNTIME_INPUTS)[number];

export interface Runtime {
  id: string;
  name: string;
  profile: string | null;
  cwd: string;
  state: RuntimeState;
  ticket: string | null;
  createdAt: string;
  lastActivityAt: string;
  command: string;
  /** Absent from a host that does not say: as `unknown`. */
  input?: RuntimeInput;
}

/** A runtime as the control room sees it: on one host, and maybe adopted for a ticket. */
export interface HostedRuntime extends Runtime {
  host: string;
}

export interface RuntimeRef {
  host: string;
  id: string;
  name: string | null;
}

export function runtimeRefKey(ref: { host: string; id: string }): string {
  return `${ref.host}:${ref.id}`;
}

/** The debounce of `ARCHITECTURE.md`: a screen unchanged this long is an agent waiting. */
export const QUIET_MS = 1_500;

/** The words for a runtime whose agent waits with text left in its input line. */
export const INPUT_NOT_EMPTY = 'input not empty';

/**
 * Text waits in the input line of an agent that waits for a prompt: the operator submits it,
 * clears it, or looks (a working agent's input line is its own business until it is done).
 */
export function inputLeft(runtime: Pick<Runtime, 'state' | 'input'>): boolean {
  return runtime.input === 'text' && (runtime.state === 'idle' || runtime.state === 'unknown');
}

/** The state as the operator reads it: `input not empty` when text is left, else the state. */
export function runtimeStateLabel(runtime: Pick<Runtime, 'state' | 'input'>): string {
  return inputLeft(runtime) ? INPUT_NOT_EMPTY : runtime.state;
}

/**
 * Ready for a prompt: idle, or `unknown` (no hook, no pattern on screen) with a screen that has
 * not changed for QUIET_MS, and no text left in its input line. A send checks again before it
 * types, and answers busy (or input not empty) if it must.
 */
export function looksReady(
  runtime: Pick<Runtime, 'state' | 'lastActivityAt' | 'input'>,
  now: number,
) {
  if (inputLeft(runtime)) return false;
  if (runtime.state === 'idle') return true;
  if (runtime.state !== 'unknown') return false;
  const last = Date.parse(runtime.lastActivityAt);
  return Number.isFinite(last) && now - last >= QUIET_MS;
}
