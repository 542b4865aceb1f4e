import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AttachCommand } from '../../domain/live.js';
import { socketPath } from '../tmux/socket-path.js';
import { processArg } from '../tmux/tmux-args.js';
import { type TmuxClient, TmuxError } from '../tmux/tmux-client.js';
import type { AttachedPty } from './attach.js';

/**
 * Attaching to a session of this machine's tmux: the command for the pty, how to detach it, and
 * what to do instead when the control room itself runs inside that tmux server.
 */

/**
 * `tmux [-L NAME] attach-session -t =NAME`: `=` makes the name exact (a plain `mc-1` would be
 * prefix-matched to `mc-10`). `TMUX` is removed, or tmux refuses to nest inside the tmux the
 * control room runs in (a different server; the same one uses switchClient).
 */
export function localAttachCommand(tmux: TmuxClient, sessionName: string): AttachCommand {
  return {
    file: tmux.program,
    args: [...tmux.serverArgs(), 'attach-session', '-t', processArg(`=${sessionName}`)],
    unsetEnv: ['TMUX'],
  };
}

/** The `client_tty` of the tmux client whose process is `pid`, if it is attached. */
export async function clientTtyOf(tmux: TmuxClient, pid: number): Promise<string | undefined> {
  const lines = (await tmux.run(['list-clients', '-F', '#{client_pid} #{client_tty}'])).split('\n');
  for (const line of lines) {
    const space = line.indexOf(' ');
    if (space > 0 && Number(line.slice(0, space)) === pid) return line.slice(space + 1);
  }
  return undefined;
}

/**
 * Detaches the tmux client running in the attach pty: `tmux detach-client -t <tty>`. A client is
 * named by its tty; the pty's own device is it (node-pty runs tmux on that tty), and when
 * node-pty did not give it, the client whose pid is the pty's is looked up. A client not yet
 * attached is left alone: runAttach hangs the pty up shortly after.
 */
export async function localDetach(tmux: TmuxClient, attached: AttachedPty): Promise<void> {
  const tty = attached.tty ?? (await clientTtyOf(tmux, attached.pid));
  if (tty === undefined) return;
  await tmux.run(['detach-client', '-t', tty]);
}

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Whether the control room runs inside a pane of the tmux server `tmux` talks to: `$TMUX` is
 * `SOCKET_PATH,SERVER_PID,SESSION_ID`, compared with this client's socket path (symlinks
 * resolved: `/tmp` may be one). Attaching there would nest tmux in itself; switch instead.
 */
export async function insideSameTmuxServer(
  env: NodeJS.ProcessEnv,
  tmux: TmuxClient,
): Promise<boolean> {
  const current = env.TMUX?.split(',')[0];
  if (!current) return false;
  const ours = socketPath(tmux.socketName, env);
  return (await canonical(current)) === (await canonical(ours));
}

/**
 * The client showing the control room's pane: the most recently active client attached to the
 * pane's session (how tmux itself picks "the current client" when a command names none). Asked
 * explicitly because TmuxClient runs tmux without `$TMUX`.
 */
export async function currentClient(tmux: TmuxClient, env: NodeJS.ProcessEnv): Promise<string> {
  const pane = env.TMUX_PANE;
  if (!pane || !/^%\d+$/.test(pane)) {
    throw new TmuxError('not_found', 'no $TMUX_PANE: the control room is not in a tmux pane');
  }
  const session = await tmux.run(['display-message', '-p', '-t', pane, '#{session_id}']);
  const rows = await tmux.run([
    'list-clients',
    '-t',
    session,
    '-F',
    '#{client_activity} #{client_tty}',
  ]);
  let best: { activity: number; tty: string } | undefined;
  for (const line of rows.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const activity = Number(line.slice(0, space));
    if (best === undefined || activity > best.activity) {
      best = { activity, tty: line.slice(space + 1) };
    }
  }
  if (!best) throw new TmuxError('not_found', `no client shows the control room's session`);
  return best.tty;
}

/**
 * Inside the same server: moves the operator's client to session `name` (`switch-client -c
 * CLIENT -t =NAME`) instead of nesting a second client in a pane. Returns how to come back, for
 * the screen to say: tmux's default `prefix L` is `switch-client -l`, back to the last session
 * (the control room's); when L is bound to something else, the command itself.
 */
export async function switchClient(
  tmux: TmuxClient,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const client = await currentClient(tmux, env);
  await tmux.run(['switch-client', '-c', client, '-t', `=${name}`]);
  return wayBack(tmux);
}

/** `C-b L returns to the control room`, read off the server's own prefix and binding of L. */
export async function wayBack(tmux: TmuxClient): Promise<string> {
  const fallback = 'run `tmux switch-client -l` to return to the control room';
  try {
    const binding = await tmux.run(['list-keys', '-T', 'prefix', 'L']);
    if (!/\bswitch-client -l\s*$/.test(binding)) return fallback;
    const prefix = (await tmux.run(['show-options', '-gv', 'prefix'])).trim();
    return `${prefix || 'prefix'} L returns to the control room (tmux switch-client -l)`;
  } catch {
    return fallback;
  }
}
