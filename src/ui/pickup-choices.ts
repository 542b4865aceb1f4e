import { looksReady, sanitizeLine } from '../domain/index.js';
import type { PickupTarget } from '../services/dispatch/target.js';
import type { RuntimeEntry } from '../store/state.js';

/** One line of the pickup chooser: where the ticket would go. */
export interface PickupChoice {
  label: string;
  /** Short, for the line that reports the outcome. */
  name: string;
  target: PickupTarget;
  /** Listed but not a target, and why (its host fails); Enter on it only says so. */
  disabledReason?: string;
}

/** A runtime as the chooser sees it: with the ticket it works on and its host's health. */
export type ChooserRuntime = RuntimeEntry & {
  ticketKey?: string | null;
  hostFailure?: string | null;
};

const WAITING_WORDS: Partial<Record<RuntimeEntry['state'], string>> = {
  busy: 'busy',
  needs_input: 'asking',
  starting: 'starting',
  unknown: 'working?',
};

/**
 * Every host's runtimes, then a new runtime for each profile. Idle runtimes come first (a
 * prompt goes to them now); then busy ones: a pickup to one adopts it, or, when it works on
 * another ticket, queues behind that ticket (`busy · after K`). A failing host's runtimes are
 * listed last, disabled with the host's failure: a send to them could only fail.
 */
export function pickupChoices(
  runtimes: readonly ChooserRuntime[],
  profiles: readonly string[],
  nowMs: number,
): PickupChoice[] {
  const live = runtimes
    .filter((r) => !r.gone && r.state !== 'exited')
    .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
  const line = (r: ChooserRuntime, note: string) =>
    `${sanitizeLine(r.host)}:${sanitizeLine(r.name)}  ${r.profile ?? '-'}  ${sanitizeLine(r.cwd)}${note}`;
  const choice = (r: ChooserRuntime, note: string): PickupChoice => ({
    label: line(r, note),
    name: `${sanitizeLine(r.host)}:${sanitizeLine(r.name)}`,
    target: { kind: 'existing' as const, host: r.host, runtime: r.id },
  });
  const bound = (r: ChooserRuntime) => r.ticketKey ?? r.ticket;
  const reachable = live.filter((r) => !r.hostFailure);
  const ready = reachable.filter((r) => looksReady(r, nowMs));
  const idle = ready.map((r) => {
    const key = bound(r);
    return choice(r, key ? `  (was ${sanitizeLine(key)})` : '');
  });
  const waiting = reachable
    .filter((r) => !ready.includes(r))
    .map((r) => {
      const key = bound(r);
      const word = WAITING_WORDS[r.state] ?? r.state;
      return choice(r, `  · ${word} · ${key ? `after ${sanitizeLine(key)}` : 'adopt it'}`);
    });
  const fresh = profiles.map((profile) => ({
    label: `new runtime: ${profile} (local)`,
    name: `a new ${profile} runtime`,
    target: { kind: 'new' as const, host: 'local', spec: { profile } },
  }));
  const failing = live
    .filter((r) => r.hostFailure)
    .map((r) => {
      const reason = `host ${sanitizeLine(r.host)} fails: ${sanitizeLine(r.hostFailure ?? '')}`;
      return { ...choice(r, `  · ${reason}`), disabledReason: reason };
    });
  return [...idle, ...waiting, ...fresh, ...failing];
}
