import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Profile } from '../../domain/index.js';
import { TmuxError } from './tmux-error.js';

/**
 * The program a profile's command runs: its first argument, or, for a one-string command (which
 * tmux runs through a shell), that string's first word.
 */
export function programOf(profile: Pick<Profile, 'command'>): string {
  const [first = ''] = profile.command;
  return profile.command.length === 1 ? (first.trim().split(/\s+/, 1)[0] ?? '') : first;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Where `program` would be found as exec does: a name with a `/` is a path (relative ones from
 * `cwd`) that must be an executable file; a bare name is looked up in each folder of `path`.
 * Null when it is nowhere.
 */
export function findProgram(program: string, path: string, cwd: string): string | null {
  if (program === '') return null;
  if (program.includes('/')) {
    const file = isAbsolute(program) ? program : resolve(cwd, program);
    return executable(file) ? file : null;
  }
  for (const folder of path.split(delimiter)) {
    const file = join(resolve(cwd, folder || '.'), program);
    if (executable(file)) return file;
  }
  return null;
}

/**
 * The PATH a new session's command is looked up in. tmux gives a new pane the PATH of the client
 * that asked for it (ours: TmuxClient runs tmux in this environment), over the server's and over
 * `-e PATH=…` alike, so a profile's own PATH does not find its program.
 */
export function sessionPath(env: NodeJS.ProcessEnv): string {
  return env.PATH ?? '';
}

/**
 * The folder a runtime starts in, absolute. tmux starts a pane whose folder it cannot enter in
 * its own current folder instead, saying nothing: refused here rather than started elsewhere.
 */
export function startFolder(folder: string): string {
  const absolute = resolve(folder);
  if (!statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) {
    throw new TmuxError('failed', `${absolute} is not a folder: the runtime would start elsewhere`);
  }
  return absolute;
}
