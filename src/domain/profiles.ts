/** An agent profile: what runs in a new runtime, and which detector reads its state. */
export interface Profile {
  name: string;
  /** Program and arguments, run without a shell. */
  command: string[];
  env: Record<string, string>;
  /** The detector whose patterns fit this agent (its own name for the built-ins). */
  detector: string;
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
