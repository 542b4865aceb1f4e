import { basename } from 'node:path';
import { findProgram, programOf, sessionPath } from '../adapters/tmux/program-path.js';
import { isShellProgram } from '../domain/index.js';
import type { PickupLimits } from '../ui/pickup-choices.js';
import type { CliContext } from './context.js';
import { type CliDrivers, profilesOf } from './drivers.js';

/** How often the control room's own runtimes are looked up again (a pane may move, a client attach). */
const OWN_REFRESH_MS = 5_000;

/** Why a profile takes no ticket because it starts a shell (ticket text is never run by one). */
export function shellProfileRefusal(ctx: CliContext): (name: string) => string | undefined {
  const profiles = profilesOf(ctx);
  return (name) => {
    const profile = profiles[name];
    if (!profile) return undefined; // an unknown profile: the driver says so, with the known ones
    const program = programOf(profile);
    return isShellProgram(program)
      ? `starts ${basename(program)}, a shell: pick an agent profile`
      : undefined;
  };
}

/** Why each profile cannot take a ticket here: it starts a shell, or its program is missing. */
export function profileLimits(ctx: CliContext): Record<string, string> {
  const path = sessionPath(ctx.env);
  const limits: Record<string, string> = {};
  const shellRefusal = shellProfileRefusal(ctx);
  for (const profile of Object.values(profilesOf(ctx))) {
    const program = programOf(profile);
    const refusal = shellRefusal(profile.name);
    if (refusal !== undefined) {
      limits[profile.name] = refusal;
    } else if (!findProgram(program, path, process.cwd())) {
      limits[profile.name] = `${program} is not installed here (not on PATH)`;
    }
  }
  return limits;
}

/**
 * The chooser's limits, kept current beside the screen: the profiles' (worked out once) and the
 * control room's own runtimes (looked up now and every few seconds). The send checks again.
 */
export function watchPickupLimits(
  ctx: CliContext,
  drivers: CliDrivers,
): { current: () => PickupLimits; stop: () => void } {
  let limits: PickupLimits = { profiles: profileLimits(ctx), own: new Set() };
  const look = () => {
    drivers.ownRuntimes().then(
      (own) => {
        limits = { ...limits, own };
      },
      () => {}, // tmux not answering: the send's own check still refuses the control room
    );
  };
  if (!ctx.env.TMUX_PANE) return { current: () => limits, stop: () => {} };
  look();
  const timer = setInterval(look, OWN_REFRESH_MS);
  timer.unref();
  return { current: () => limits, stop: () => clearInterval(timer) };
}
