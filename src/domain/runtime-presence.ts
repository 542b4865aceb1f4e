import type { RuntimeState } from './runtime.js';
import { sanitizeLine } from './sanitize.js';
import type { Ticket } from './ticket.js';

/**
 * Whether a ticket's runtime is still there to work on it. A ticket whose runtime ended keeps its
 * state (in progress: the work may be half done, and only the operator can tell), but says so
 * wherever its runtime is named, with the next step: pick it up again.
 *  - `none`: nothing to say (not bound, not working, or its host not read yet: no guess);
 *  - `live`: listed by its host;
 *  - `exited`: listed, but its program ended (a dead pane);
 *  - `gone`: its host, reached, no longer lists it (closed, or its tmux server ended);
 *  - `unreachable`: its host could not be read, so nobody knows.
 */
export type BindingPresence =
  | { kind: 'none' }
  | { kind: 'live' }
  | { kind: 'exited' }
  | { kind: 'gone' }
  | { kind: 'unreachable'; host: string; detail: string };

export const NO_PRESENCE: BindingPresence = { kind: 'none' };

/** What one look at a host said: its runtimes' states by id, or why it could not be read. */
export type HostLook =
  | { ok: true; runtimes: ReadonlyMap<string, RuntimeState> }
  | { ok: false; detail: string };

/** Only a ticket that follows its runtime (in progress, needs input) is flagged. */
export function presenceOf(
  ticket: Pick<Ticket, 'state' | 'runtime'>,
  look: HostLook | undefined,
): BindingPresence {
  const binding = ticket.runtime;
  if (!binding || (ticket.state !== 'in_progress' && ticket.state !== 'needs_input')) {
    return NO_PRESENCE;
  }
  if (!look) return NO_PRESENCE;
  if (!look.ok) return { kind: 'unreachable', host: binding.host, detail: look.detail };
  const state = look.runtimes.get(binding.id);
  if (state === undefined) return { kind: 'gone' };
  return state === 'exited' ? { kind: 'exited' } : { kind: 'live' };
}

/** A word for a list's cell (before the runtime's name); null when there is nothing to say. */
export function presenceTag(presence: BindingPresence): string | null {
  switch (presence.kind) {
    case 'none':
    case 'live':
      return null;
    case 'exited':
      return 'exited';
    case 'gone':
      return 'gone';
    case 'unreachable':
      // The host's name and what failed are on the ticket's page; a cell has little room.
      return 'unreachable';
  }
}

/** The whole story, for a ticket's page: what happened and what to do. */
export function presenceNote(presence: BindingPresence): string | null {
  switch (presence.kind) {
    case 'none':
    case 'live':
      return null;
    case 'exited':
      return 'its program exited: pick the ticket up again (p)';
    case 'gone':
      return 'gone (closed, or its tmux server ended): pick the ticket up again (p)';
    case 'unreachable':
      return `host ${sanitizeLine(presence.host)} unreachable (${sanitizeLine(presence.detail)}): it may still be working`;
  }
}
