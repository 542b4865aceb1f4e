import { join } from 'node:path';

/** Where tmux puts a server's socket: `$TMUX_TMPDIR/tmux-UID/NAME` (`/tmp` by default). */
export function socketPath(socketName: string | undefined, env: NodeJS.ProcessEnv): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return join(env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, socketName ?? 'default');
}
