import { AppFailure } from './errors.js';

/** An agent profile: what runs in a new runtime, and which detector reads its state. */
export interface Profile {
  name: string;
  /** Program and arguments, run without a shell. */
  command: string[];
  env: Record<string, string>;
  /** The detector whose patterns fit this agent (its own name for the built-ins). */
  detector: string;
}

/** The detectors a profile's `detector` may name (the tmux adapter has one of each). */
export const DETECTOR_NAMES = ['codex', 'claude', 'aider', 'sim', 'shell', 'generic'] as const;

const DETECTOR_ALIASES: Readonly<Record<string, string>> = {
  'claude-code': 'claude',
  'sim-agent': 'sim',
};

/** The detector a name means (any case, aliases too), or null for a name that is none. */
export function detectorNamed(name: string): string | null {
  const raw = name.trim().toLowerCase();
  const known = DETECTOR_ALIASES[raw] ?? raw;
  return (DETECTOR_NAMES as readonly string[]).includes(known) ? known : null;
}

/** The built-ins; the config file may add profiles or replace these by name. */
export function builtInProfiles(env: NodeJS.ProcessEnv): Record<string, Profile> {
  const shell = env.SHELL || '/bin/sh';
  return {
    codex: { name: 'codex', command: ['codex'], env: {}, detector: 'codex' },
    claude: { name: 'claude', command: ['claude'], env: {}, detector: 'claude' },
    aider: { name: 'aider', command: ['aider'], env: {}, detector: 'aider' },
    shell: { name: 'shell', command: [shell], env: {}, detector: 'shell' },
  };
}

/** Folder and branch names for a ticket's worktree: from its key only, never its title. */
export function worktreeSlug(key: string): string {
  const slug = key
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return slug.slice(0, 48) || 'runtime';
}

/** A profile whose program is not installed where its runtime would start. */
export class ProgramNotInstalled extends AppFailure {
  constructor(
    readonly program: string,
    readonly profile: string,
  ) {
    super({
      kind: 'usage',
      // All in the message: a pickup keeps only the message on the ticket.
      message: `${program} is not installed here (not on PATH): install it, or set the profile's command in the config file (profiles.${profile}.command)`,
    });
    this.name = 'ProgramNotInstalled';
  }
}
