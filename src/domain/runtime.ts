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

/**
 * Ready for a prompt: idle, or `unknown` (no hook, no pattern on screen) with a screen that has
 * not changed for QUIET_MS. A send checks again before it types, and answers busy if it must.
 */
export function looksReady(runtime: Pick<Runtime, 'state' | 'lastActivityAt'>, now: number) {
  if (runtime.state === 'idle') return true;
  if (runtime.state !== 'unknown') return false;
  const last = Date.parse(runtime.lastActivityAt);
  return Number.isFinite(last) && now - last >= QUIET_MS;
}
