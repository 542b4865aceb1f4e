import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';
import { CLI_PATH, type CliResult, cleanEnv, homeCli, requireBuiltCli } from './cli.js';

const execFileAsync = promisify(execFile);

const SOCKET_PREFIX = 'cr-e2e-';

/**
 * A private tmux server (`tmux -L cr-e2e-<random>`), never the user's default one, started
 * without any tmux.conf. `kill()` ends it and everything in it.
 */
export class TmuxServer {
  readonly socket = `${SOCKET_PREFIX}${randomBytes(6).toString('hex')}`;

  async run(args: readonly string[]): Promise<string> {
    if (!this.socket.startsWith(SOCKET_PREFIX)) throw new Error('refusing a non-private socket');
    const env = cleanEnv();
    delete env.TMUX;
    delete env.TMUX_PANE;
    const { stdout } = await execFileAsync(
      'tmux',
      ['-L', this.socket, '-f', '/dev/null', ...args],
      { env, timeout: 10_000 },
    );
    return stdout;
  }

  /** A detached session of the given size running `command` (an argument array, no shell). */
  async newSession(
    name: string,
    command: readonly string[],
    size: { width: number; height: number } = { width: 100, height: 30 },
  ): Promise<void> {
    await this.run([
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(size.width),
      '-y',
      String(size.height),
      '--',
      ...command,
    ]);
  }

  /** The names of the server's sessions (none when no server runs). */
  async sessionNames(): Promise<string[]> {
    try {
      return (await this.run(['list-sessions', '-F', '#{session_name}']))
        .split('\n')
        .filter(Boolean);
    } catch {
      return [];
    }
  }

  /** The visible screen as text; with `escapes`, with its attributes as SGR sequences. */
  capture(target: string, options: { escapes?: boolean } = {}): Promise<string> {
    return this.run(['capture-pane', '-p', ...(options.escapes ? ['-e'] : []), '-t', target]);
  }

  async sendLiteral(target: string, text: string): Promise<void> {
    await this.run(['send-keys', '-t', target, '-l', text]);
  }

  async sendKey(target: string, key: string): Promise<void> {
    await this.run(['send-keys', '-t', target, key]);
  }

  /**
   * Polls the screen until `done` holds, and returns that screen; past the deadline, fails with
   * what the screen showed last.
   */
  async waitFor(
    target: string,
    what: string,
    done: (screen: string) => boolean,
    options: { escapes?: boolean; timeoutMs?: number } = {},
  ): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    let screen = '';
    for (;;) {
      screen = await this.capture(target, options);
      if (done(screen)) return screen;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; the screen showed:\n${screen}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async kill(): Promise<void> {
    try {
      await this.run(['kill-server']);
    } catch {
      // No server was started, or it is gone already.
    }
    // tmux leaves its socket file behind; it is ours alone, so remove it.
    const uid = process.getuid?.();
    if (uid !== undefined) {
      const dir = join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`);
      await rm(join(dir, this.socket), { force: true });
    }
  }
}

/**
 * The command for a pane: control-room on `home` (watching the private tmux server `tmuxSocket`)
 * with NO_COLOR set, then a marker with its exit
 * status, and a pause so the pane (and the marker) stays visible after it ends.
 */
export function tuiCommand(home: string, tmuxSocket: string): string[] {
  requireBuiltCli();
  return [
    'env',
    'NO_COLOR=1',
    `CONTROL_ROOM_HOME=${home}`,
    'sh',
    '-c',
    '"$@"; echo "EXITED:$?"; sleep 30',
    'sh',
    process.execPath,
    CLI_PATH,
    '--home',
    home,
    // The control room watches the tmux server it is given: the test's, never the user's.
    '--tmux-socket',
    tmuxSocket,
  ];
}

/**
 * The lines of a `capture-pane -e` screen that contain reverse-video text, as plain text.
 * tmux carries attributes from one line to the next, so the SGR state runs across lines.
 */
export function reverseVideoLines(screen: string): string[] {
  let reverse = false;
  const lines: string[] = [];
  let text = '';
  let marked = false;
  const endLine = () => {
    if (marked) lines.push(text.trimEnd());
    text = '';
    marked = false;
  };
  for (let i = 0; i < screen.length; i++) {
    const c = screen[i] as string;
    if (c === '\x1b') {
      const match = /^\x1b\[([0-9;:]*)([\x40-\x7e])/.exec(screen.slice(i, i + 64));
      if (!match) continue;
      i += match[0].length - 1;
      if (match[2] !== 'm') continue;
      const params = (match[1] as string).split(';').map((p) => (p === '' ? 0 : Number(p)));
      for (let j = 0; j < params.length; j++) {
        const p = params[j] as number;
        if (p === 0 || p === 27) reverse = false;
        else if (p === 7) reverse = true;
        else if (p === 38 || p === 48 || p === 58) j += params[j + 1] === 5 ? 2 : 4;
      }
      continue;
    }
    if (c === '\n') {
      endLine();
      continue;
    }
    text += c;
    if (reverse && c !== ' ') marked = true;
  }
  endLine();
  return lines;
}

const selectedLine = (screen: string) =>
  screen.split('\n').find((line) => /^\W*›/.test(line)) ?? '';

/**
 * Moves a list's cursor (the `›` line) down with j until the selected line holds `text`. The
 * pickup chooser follows the runtimes live (a pane may join it between a look and a key), so a
 * key that moved nothing visible is pressed again rather than waited on.
 */
export async function selectChoice(server: TmuxServer, pane: string, text: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let pressedAt = '';
  let pressedWhen = 0;
  while (Date.now() < deadline) {
    const selected = selectedLine(await server.capture(pane));
    if (selected.includes(text)) return;
    if (selected !== pressedAt || Date.now() - pressedWhen > 1000) {
      await server.sendLiteral(pane, 'j');
      pressedAt = selected;
      pressedWhen = Date.now();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the list never selected "${text}":\n${await server.capture(pane)}`);
}

/**
 * A private tmux server for each test (killed after it) and the built CLI on a fresh home that
 * always names it, so `cr(…)` never reaches the user's server. With `keep`, a session of the
 * test's own starts the server first, so the CLI never starts it (with a tmux.conf or a PATH of
 * its own).
 */
export function cliOnPrivateTmux() {
  const servers: TmuxServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
  });
  return async (options: { keep?: boolean } = {}) => {
    const server = new TmuxServer();
    servers.push(server);
    if (options.keep) await server.newSession('keep', ['sleep', '600']);
    const cli = await homeCli();
    const cr = (...args: string[]): Promise<CliResult> =>
      cli('--tmux-socket', server.socket, ...args);
    return { server, cli, cr };
  };
}
