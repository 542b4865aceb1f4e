import { looksReady, sanitizeLine } from '../domain/index.js';
import type { PickupTarget } from '../services/dispatch/target.js';
import type { RuntimeEntry } from '../store/state.js';

/** One line of the pickup chooser: where the ticket would go. */
export interface PickupChoice {
  label: string;
  /** Short, for the line that reports the outcome. */
  name: string;
  target: PickupTarget;
}

/**
 * The idle runtimes of every host (those a prompt can go to now), then a new runtime for each
 * profile. Busy runtimes are left out: a pickup would only adopt them.
 */
export function pickupChoices(
  runtimes: readonly RuntimeEntry[],
  profiles: readonly string[],
  nowMs: number,
): PickupChoice[] {
  const idle = runtimes
    .filter((r) => !r.gone && looksReady(r, nowMs))
    .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name))
    .map((r) => ({
      label:
        `${sanitizeLine(r.host)}:${sanitizeLine(r.name)}  ${r.profile ?? '-'}  ${sanitizeLine(r.cwd)}` +
        (r.ticket ? `  (was ${sanitizeLine(r.ticket)})` : ''),
      name: `${sanitizeLine(r.host)}:${sanitizeLine(r.name)}`,
      target: { kind: 'existing' as const, host: r.host, runtime: r.id },
    }));
  const fresh = profiles.map((profile) => ({
    label: `new runtime: ${profile} (local)`,
    name: `a new ${profile} runtime`,
    target: { kind: 'new' as const, host: 'local', spec: { profile } },
  }));
  return [...idle, ...fresh];
}
