import { isShellProgram, looksReady, sanitizeLine } from '../domain/index.js';
import type { PickupTarget } from '../services/dispatch/target.js';
import type { RuntimeEntry } from '../store/state.js';

/** One line of the pickup chooser: where the ticket would go. */
export interface PickupChoice {
  label: string;
  /** Short, for the line that reports the outcome. */
  name: string;
  target: PickupTarget;
  /**
   * Why the ticket cannot go there now (a shell, a missing program…): the line is shown, the
   * cursor passes over it, and Enter on it says this instead of sending.
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

/** Why a runtime takes no ticket, from what the list knows of it; the send checks again. */
function runtimeRefusal(runtime: RuntimeEntry): string | undefined {
  if (isShellProgram(runtime.command)) {
    return `runs ${sanitizeLine(runtime.command)}, a shell: start an agent there first`;
  }
  return undefined;
}

/**
 * The idle runtimes of every host (those a prompt can go to now), then a new runtime for each
 * profile. Busy runtimes are left out: a pickup would only adopt them. Lines that cannot take
 * the ticket are listed after the others, disabled with the reason; the control room's own
 * runtime is not listed at all.
 */
export function pickupChoices(
  runtimes: readonly RuntimeEntry[],
  profiles: readonly string[],
  nowMs: number,
  limits: PickupLimits = {},
): PickupChoice[] {
  const idle = runtimes
    .filter((r) => !r.gone && looksReady(r, nowMs) && !limits.own?.has(`${r.host}:${r.id}`))
    .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name))
    .map((r): PickupChoice => {
      const disabledReason = runtimeRefusal(r);
      return {
        label:
          `${sanitizeLine(r.host)}:${sanitizeLine(r.name)}  ${r.profile ?? '-'}  ${sanitizeLine(r.cwd)}` +
          (r.ticket ? `  (was ${sanitizeLine(r.ticket)})` : ''),
        name: `${sanitizeLine(r.host)}:${sanitizeLine(r.name)}`,
        target: { kind: 'existing' as const, host: r.host, runtime: r.id },
        ...(disabledReason !== undefined ? { disabledReason } : {}),
      };
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
  const all = [...idle, ...fresh];
  // The cursor opens on the first line: the ones that can take the ticket come first.
  return [...all.filter((c) => !c.disabledReason), ...all.filter((c) => c.disabledReason)];
}
