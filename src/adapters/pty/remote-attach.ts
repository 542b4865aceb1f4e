import { AppFailure, sanitizeLine } from '../../domain/index.js';
import type { AttachCommand } from '../../domain/live.js';
import { processArg } from '../tmux/tmux-args.js';

/**
 * Attaching to a runtime of another machine: `ssh -t DEST tmux attach-session -t =NAME`, run in
 * the attach pty like a local attach. The runtime host's HTTP API cannot carry a terminal, so the
 * host needs an SSH destination beside its address (`hosts add NAME URL --ssh user@box`).
 */

const USER = '[A-Za-z0-9._][A-Za-z0-9._-]*';
const HOST = '(?:[A-Za-z0-9_][A-Za-z0-9._-]*|\\[[0-9A-Fa-f:.]+\\])';
/** `[user@]host`, or ssh's URI form `ssh://[user@]host[:port]` (the only form with a port). */
const DESTINATION = new RegExp(
  `^(?:(?:${USER}@)?${HOST}|ssh://(?:${USER}@)?${HOST}(?::[0-9]{1,5})?)$`,
);

/**
 * Why `text` is not an SSH destination, or null when it is one. Strict on purpose: it becomes an
 * argument of ssh, which would read a leading `-` as an option, and ssh configs may paste the
 * host name into a ProxyCommand.
 */
export function sshDestinationProblem(text: string): string | null {
  if (text.startsWith('-')) return 'an SSH destination cannot start with "-"';
  if (!DESTINATION.test(text)) {
    return 'expected user@host, host, or ssh://user@host:port (letters, digits, ".", "_", "-")';
  }
  return null;
}

/**
 * One word for a POSIX shell (and fish, csh): inside single quotes nothing is special, and a
 * single quote itself is closed, escaped and reopened (`'\''`). ssh hands the remote command to
 * the remote user's shell as one string, so every word of it is quoted.
 */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The pty command attaching to session `sessionName` of host `hostName` through SSH. `-t` gives
 * the remote tmux a terminal; `--` ends ssh's options before the destination. Throws an
 * AppFailure when the host has no SSH destination (or a malformed one).
 */
export function remoteAttachCommand(
  ssh: string | null,
  hostName: string,
  sessionName: string,
): AttachCommand {
  const host = sanitizeLine(hostName);
  if (ssh === null || ssh === '') {
    throw new AppFailure({
      kind: 'not_found',
      message: `host ${host} has no SSH destination: control-room hosts add ${host} URL --ssh user@box`,
    });
  }
  const problem = sshDestinationProblem(ssh);
  if (problem !== null) {
    throw new AppFailure({
      kind: 'input',
      field: 'ssh',
      message: `host ${host}: ${problem}`,
      hint: `control-room hosts add ${host} URL --ssh user@box`,
    });
  }
  const remote = ['tmux', 'attach-session', '-t', processArg(`=${sessionName}`)]
    .map(shellQuote)
    .join(' ');
  return { file: 'ssh', args: ['-t', '--', ssh, remote], unsetEnv: [] };
}
