import { findProgram, programOf, sessionPath } from '../adapters/tmux/program-path.js';
import { isShellProgram } from '../domain/index.js';
import type { PickupLimits } from '../ui/pickup-choices.js';
import type { CliContext } from './context.js';
import { type CliDrivers, profilesOf } from './drivers.js';

/** How often the control room's own runtimes are looked up again (a pane may move, a client attach). */
const OWN_REFRESH_MS = 5_000;

/** Why each profile cannot take a ticket here: it starts a shell, or its program is missing. */
export function profileLimits(ctx: CliContext): Record<string, string> {
  const path = sessionPath(ctx.env);
  const limits: Record<string, string> = {};
  for (const profile of Object.values(profilesOf(ctx))) {
    const program = programOf(profile);
    if (isShellProgram(program)) {
      limits[profile.name] = `starts ${program}, a shell: pick an agent profile`;
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
