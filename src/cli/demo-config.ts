import { stringify } from 'yaml';

/** How long the working agent works on its ticket: long enough to look around. */
export const LONG_WORK_MS = 20 * 60 * 1000;
/** How long the idle agent works on a ticket you pick up: long enough to see it work. */
export const PICKUP_WORK_MS = 6000;
/** How long the asking agent works before it asks. */
export const SHORT_WORK_MS = 1500;

/**
 * The sandbox's config: the `sim` profile, and the two variants the demo's agents run; every
 * runtime starts in `workFolder` (inside the sandbox), whatever folder the demo was started in.
 */
export function demoConfig(sim: readonly string[], workFolder: string): string {
  const profile = (...args: string[]) => ({
    command: [...sim, '--state-hook', ...args],
    detector: 'sim',
  });
  const config = {
    keyPrefix: 'DEMO',
    runtimeFolder: workFolder,
    profiles: {
      sim: profile('--work-ms', String(PICKUP_WORK_MS)),
      'sim-long': profile('--work-ms', String(LONG_WORK_MS)),
      'sim-asks': profile('--ask-every', '--work-ms', String(SHORT_WORK_MS)),
    },
  };
  return (
    '# The sandbox of `control-room demo`: the simulated agent (a stand-in for Codex) as the\n' +
    '# profiles sim, sim-long (works for a long time) and sim-asks (asks after every job);\n' +
    '# runtimes start in the sandbox work folder.\n' +
    stringify(config)
  );
}
