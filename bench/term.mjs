// The terminal the TUI benches draw on: a pane of a private tmux server, read through a
// control-mode client as its raw output arrives (`%output`), and driven with commands written to
// that client. Shared by bench/tui.mjs (first frame) and bench/watch.mjs (watch latency).
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/** The environment for tmux and what runs in it: no CI flags (Ink draws nothing under CI). */
export function cleanEnv() {
  const env = { ...process.env };
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'TMUX', 'TMUX_PANE', 'NO_COLOR']) {
    delete env[name];
  }
  return env;
}

export function tmux(socket, args) {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 10_000,
  });
}

/** Ends a private server and removes its socket; never the default one (a socket is named). */
export function killServer(socket) {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // never started, or gone already
  }
  const uid = process.getuid?.();
  if (uid !== undefined) {
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, socket), { force: true });
  }
}

/** `%output` data: octal escapes for bytes below a space and for `\`; as latin1 (one char a byte). */
export function unescapeOutput(text) {
  return text.replace(/\\([0-7]{3})/g, (_, octal) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}

/** A shell word, single-quoted. */
export const quote = (arg) => `'${String(arg).replaceAll("'", "'\\''")}'`;

/**
 * A control-mode client of `socket` attached to `session`. `onOutput(text, at)` hears each
 * `%output` piece (unescaped, latin1) with the time its chunk arrived (`clock()`).
 */
export function controlClient(socket, session, onOutput, clock = () => performance.now()) {
  const child = spawn('tmux', ['-L', socket, '-f', '/dev/null', '-C', 'attach', '-t', session], {
    env: cleanEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const replies = [];
  let block = null;
  let pending = '';
  let attached;
  const ready = new Promise((resolve) => {
    attached = resolve;
  });
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (chunk) => {
    const at = clock();
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (block) {
        if (line.startsWith('%end ') || line.startsWith('%error ')) {
          const fromUs = line.split(' ')[3] === '1';
          if (fromUs) replies.shift()?.({ ok: line.startsWith('%end'), lines: block });
          else attached?.();
          block = null;
        } else block.push(line);
      } else if (line.startsWith('%begin ')) block = [];
      else if (line.startsWith('%output ')) {
        onOutput(unescapeOutput(line.slice(line.indexOf(' ', 8) + 1)), at);
      }
    }
  });
  return {
    ready,
    /** Sends one tmux command; resolves with its reply's lines. */
    command(text) {
      return new Promise((resolve, reject) => {
        replies.push(({ ok, lines }) =>
          ok ? resolve(lines) : reject(new Error(`tmux: ${text}: ${lines.join(' ')}`)),
        );
        child.stdin.write(`${text}\n`);
      });
    },
    close() {
      child.stdin.end();
      child.kill();
    },
  };
}

/** Resolves once the program in the pane `term` has ended (the pane stays: remain-on-exit). */
export async function paneDead(client, limitMs = 15_000) {
  const until = Date.now() + limitMs;
  for (;;) {
    const [dead] = await client.command("display -p -t term '#{pane_dead}'");
    if (dead === '1') return;
    if (Date.now() > until) throw new Error(`the program did not end in ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The terminal: session `term` of server `socket`, `width`×`height`, its pane kept when its
 * program ends (each run respawns it), read by the client `connect` makes. Resolves with that
 * client once the pane is idle.
 */
export async function openTerminal(socket, width, height, connect) {
  tmux(socket, ['new-session', '-d', '-s', 'term', '-x', String(width), '-y', String(height)]);
  tmux(socket, ['set', '-g', 'remain-on-exit', 'on']);
  tmux(socket, ['set', '-g', 'window-size', 'manual']);
  tmux(socket, ['set', '-g', 'default-terminal', 'tmux-256color']);
  tmux(socket, ['respawn-pane', '-k', '-t', 'term', 'true']);
  const client = connect(socket, 'term');
  await client.ready;
  await paneDead(client);
  return client;
}
