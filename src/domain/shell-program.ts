/**
 * Shells, by the name tmux gives a pane's foreground program (`#{pane_current_command}`) or a
 * profile's command. Text typed into a shell runs as commands, so a ticket never goes there.
 */
const SHELLS: ReadonlySet<string> = new Set([
  'sh',
  'ash',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'ksh93',
  'mksh',
  'pdksh',
  'oksh',
  'loksh',
  'yash',
  'csh',
  'tcsh',
  'fish',
  'nu',
  'nushell',
  'pwsh',
  'powershell',
  'elvish',
  'xonsh',
  'osh',
  'ysh',
  'rc',
  'es',
]);

/**
 * Whether `program` is a shell: a bare name or a path (`/bin/bash`), a login shell's leading
 * dash (`-bash`), a version suffix (`bash5.2`, `zsh-5.9`, `pwsh-preview`) or `.exe` are seen
 * through. An empty name (tmux could not tell) is not a shell: the send path asks again.
 */
export function isShellProgram(program: string): boolean {
  const base = program.trim().split(/\s+/, 1)[0] ?? '';
  const name = (base.split('/').pop() ?? '')
    .replace(/^-+/, '')
    .replace(/\.exe$/i, '')
    .toLowerCase();
  if (SHELLS.has(name)) return true;
  const stem = /^([a-z]+?)(?:-?[0-9][0-9.]*|-preview)$/.exec(name)?.[1];
  return stem !== undefined && SHELLS.has(stem);
}

/** Why a pane running `program` takes no ticket, and what to do instead. */
export function shellRefusal(where: string, program: string): string {
  return `${where} runs ${program}, a shell: a ticket typed there would run as shell commands; start an agent in it, or pick an agent profile`;
}

/** Why the control room's own pane (or its session) takes no ticket. */
export function ownPaneRefusal(where: string): string {
  return `${where} is the control room's own pane: a ticket typed there would land in the control room; pick another runtime`;
}
