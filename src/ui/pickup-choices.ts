import { inputLeft, isShellProgram, looksReady, sanitizeLine } from '../domain/index.js';
import type { PickupTarget } from '../services/dispatch/target.js';
import type { RuntimeEntry } from '../store/state.js';

/** One line of the pickup chooser: where the ticket would go. */
export interface PickupChoice {
  label: string;
  /** Short, for the line that reports the outcome. */
  name: string;
  target: PickupTarget;
  /**
   * Why the ticket cannot go there now (a shell, a missing program, a failing host): the line is
   * shown, the cursor passes over it, and Enter on it says this instead of sending.
   */
  disabledReason?: string;
}

/** What the chooser must not offer, worked out beside the screen (it needs tmux and the PATH). */
export interface PickupLimits {
  /** Why a profile cannot take a ticket here (it starts a shell, its program is missing). */
  profiles?: Readonly<Record<string, string>>;
  /** `host:id` of the runtimes that are, or show, the control room itself: never listed. */
  own?: ReadonlySet<string>;
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

/** Why a runtime takes no ticket, from what the list knows of it; the send checks again. */
function runtimeRefusal(runtime: ChooserRuntime): string | undefined {
  if (runtime.hostFailure) {
    return `host ${sanitizeLine(runtime.host)} fails: ${sanitizeLine(runtime.hostFailure)}`;
  }
  if (isShellProgram(runtime.command)) {
    return `runs ${sanitizeLine(runtime.command)}, a shell: start an agent there first`;
  }
  if (inputLeft(runtime)) {
    return 'input not empty: submit or clear the text left there first (s or x on the runtimes view)';
  }
  return undefined;
}

/**
 * Every host's runtimes, then a new runtime for each profile. Idle runtimes come first (a
 * prompt goes to them now); then busy ones: a pickup to one adopts it, or, when it works on
 * another ticket, queues behind that ticket (`busy · after K`). Lines that cannot take the
 * ticket (a shell, a failing host, a profile whose program is missing) are listed after the
 * others, disabled with the reason; the control room's own runtime is not listed at all.
 */
export function pickupChoices(
  runtimes: readonly ChooserRuntime[],
  profiles: readonly string[],
  nowMs: number,
  limits: PickupLimits = {},
): PickupChoice[] {
  const live = runtimes
    .filter((r) => !r.gone && r.state !== 'exited' && !limits.own?.has(`${r.host}:${r.id}`))
    .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
  const choice = (r: ChooserRuntime, note: string): PickupChoice => {
    const disabledReason = runtimeRefusal(r);
    return {
      label: `${sanitizeLine(r.host)}:${sanitizeLine(r.name)}  ${sanitizeLine(r.profile ?? '-')}  ${sanitizeLine(r.cwd)}${note}`,
      name: `${sanitizeLine(r.host)}:${sanitizeLine(r.name)}`,
      target: { kind: 'existing' as const, host: r.host, runtime: r.id },
      ...(disabledReason !== undefined ? { disabledReason } : {}),
    };
  };
  const bound = (r: ChooserRuntime) => r.ticketKey ?? r.ticket;
  const ready = live.filter((r) => looksReady(r, nowMs));
  const idle = ready.map((r) => {
    const key = bound(r);
    return choice(r, key ? `  (was ${sanitizeLine(key)})` : '');
  });
  const waiting = live
    .filter((r) => !ready.includes(r))
    .map((r) => {
      const key = bound(r);
      const word = r.hostFailure ? 'host fails' : (WAITING_WORDS[r.state] ?? r.state);
      return choice(r, `  · ${word} · ${key ? `after ${sanitizeLine(key)}` : 'adopt it'}`);
    });
  const fresh = profiles.map((profile): PickupChoice => {
    const disabledReason = limits.profiles?.[profile];
    return {
      label: `new runtime: ${profile} (local)`,
      name: `a new ${profile} runtime`,
      target: { kind: 'new' as const, host: 'local', spec: { profile } },
      ...(disabledReason !== undefined ? { disabledReason } : {}),
    };
  });
  const all = [...idle, ...waiting, ...fresh];
  // The cursor opens on the first line: the ones that can take the ticket come first.
  return [...all.filter((c) => !c.disabledReason), ...all.filter((c) => c.disabledReason)];
}
