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
