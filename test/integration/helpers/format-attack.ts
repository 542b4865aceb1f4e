import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Names and folders that tmux would read as formats: `#(touch PROOF)` runs a command if tmux
 * expands it, so the proof file tells whether anything ran.
 */
export interface FormatAttack {
  /** A real folder (symlinks resolved) the test owns. */
  base: string;
  proof: string;
  attack: string;
}

export function formatAttack(base: string): FormatAttack {
  const proof = join(base, 'proof');
  return { base, proof, attack: `#(touch ${proof})` };
}

/** The folder `path` (its `/`s nest, `#(…)` and all), made. */
export function folder(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

/** A git repository with one commit at `path`. */
export function gitRepo(path: string): string {
  folder(path);
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      [
        '-C',
        path,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@t',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      { stdio: 'pipe' },
    );
  git('init', '--quiet');
  writeFileSync(join(path, 'README.md'), 'x\n');
  git('add', 'README.md');
  git('commit', '--quiet', '-m', 'first');
  return path;
}
