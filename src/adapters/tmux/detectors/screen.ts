/** Screen and process helpers shared by the detectors; pure. */

/** Programs that are a shell at a prompt when they are in the foreground of a pane. */
export const SHELLS: ReadonlySet<string> = new Set([
  'bash',
  'zsh',
  'sh',
  'fish',
  'dash',
  'ksh',
  'tcsh',
]);

/** `pane_current_command` as a bare lower-case program name: `-zsh`, `/bin/bash` → `zsh`, `bash`. */
export function commandName(currentCommand: string): string {
  const base = currentCommand.trim().split('/').pop() ?? '';
  return base.replace(/^-+/, '').toLowerCase();
}

export function isShell(currentCommand: string): boolean {
  return SHELLS.has(commandName(currentCommand));
}

/** The last `count` lines of the screen that hold more than whitespace, top to bottom. */
export function lastNonEmptyLines(screen: readonly string[], count: number): string[] {
  const out: string[] = [];
  for (let i = screen.length - 1; i >= 0 && out.length < count; i--) {
    const line = screen[i] ?? '';
    if (line.trim() !== '') out.push(line);
  }
  return out.reverse();
}

/**
 * A short hash of the screen (FNV-1a, 32 bits) that ignores trailing blanks on a line and blank
 * lines at the bottom, so that only a visible change counts as one.
 */
export function screenHash(screen: readonly string[]): string {
  let end = screen.length;
  while (end > 0 && (screen[end - 1] ?? '').trim() === '') end--;
  let hash = 0x811c9dc5;
  for (let i = 0; i < end; i++) {
    const line = (screen[i] ?? '').trimEnd();
    for (let j = 0; j < line.length; j++) {
      hash ^= line.charCodeAt(j);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0x0a;
    hash = Math.imul(hash, 0x01000193);
  }
  return `${end}:${(hash >>> 0).toString(16).padStart(8, '0')}`;
}
