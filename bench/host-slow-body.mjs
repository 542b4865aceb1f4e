// How long `host serve` (the built CLI, dist/) holds connections that hold it (issue 14): a body
// trickled one byte a second (cut after the whole-request limit, 60 s by default), a connection
// that sends nothing (the headers limit, 10 s), and a kept-alive one after its answer (5 s).
// Each is timed from its first byte (or its connection) to the host closing it. About a minute
// with the defaults; not part of `npm run bench`.
// Usage: node scripts/build.mjs && node bench/host-slow-body.mjs [--request-timeout MS]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const at = args.indexOf('--request-timeout');
const extra = at === -1 ? [] : ['--request-timeout', args[at + 1]];
const socketName = `cr-bench-${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'cr-bench-slow-'));
const token = randomBytes(24).toString('hex');
writeFileSync(join(dir, 'tokens'), `read,send ${token} bench\n`, { mode: 0o600 });
const tmux = (...a) => execFileSync('tmux', ['-L', socketName, '-f', '/dev/null', ...a]);
tmux('new-session', '-d', '-s', 'keep', 'sleep', '600');

const host = spawn(
  process.execPath,
  [
    join(root, 'dist', 'control-room.js'),
    ...['--home', join(dir, 'home'), '--tmux-socket', socketName, 'host', 'serve'],
    ...['--listen', '127.0.0.1:0', '--tokens-file', join(dir, 'tokens'), ...extra],
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let stderr = '';
host.stderr.on('data', (chunk) => {
  stderr += chunk;
});
const cleanup = () => {
  host.kill('SIGKILL');
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  // tmux leaves its socket file behind; it is this bench's alone.
  const uid = process.getuid?.();
  if (uid !== undefined) {
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, socketName), { force: true });
  }
  rmSync(dir, { recursive: true, force: true });
};

try {
  const port = await new Promise((resolve, reject) => {
    const started = Date.now();
    const look = setInterval(() => {
      const match = /serving http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match) resolve(Number(match[1]));
      else if (Date.now() - started > 30_000)
        reject(new Error(`the host did not start: ${stderr}`));
      else return;
      clearInterval(look);
    }, 50);
  });

  /** Opens a connection, runs `start` on it, and resolves with seconds until the host closed it. */
  const held = (start) =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let since = 0;
      let received = '';
      socket.on('data', (c) => {
        received += c;
      });
      socket.on('error', () => {});
      socket.on('connect', () => {
        since = performance.now();
        start(socket);
      });
      socket.on('close', () =>
        resolve({ seconds: (performance.now() - since) / 1000, answer: received.split('\r\n')[0] }),
      );
    });

  const slowBody = held((socket) => {
    socket.write(
      `POST /v1/runtimes/rt_1_x/send HTTP/1.1\r\nhost: b\r\nauthorization: Bearer ${token}\r\n` +
        'content-type: application/json\r\ncontent-length: 100000\r\n\r\n',
    );
    const trickle = setInterval(() => socket.write('{'), 1000);
    socket.on('close', () => clearInterval(trickle));
  });
  const silent = held(() => {});
  const keptAlive = held((socket) => {
    socket.write(`GET /v1/health HTTP/1.1\r\nhost: b\r\nauthorization: Bearer ${token}\r\n\r\n`);
  });
  const figures = await Promise.all([slowBody, silent, keptAlive]);
  const names = [
    'a body trickled 1 byte/s, closed after',
    'a connection sending nothing, closed after',
    'a kept-alive connection after its answer, closed after',
  ];
  for (const [i, name] of names.entries()) {
    const f = figures[i];
    console.log(`${name.padEnd(54)} ${f.seconds.toFixed(2)} s  (${f.answer || 'no answer'})`);
  }
  // The host logs a request once its connection has closed: give the line a moment to arrive.
  for (let i = 0; i < 40 && !stderr.includes('"status":408'); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const lines = stderr.split('\n').filter((l) => l.startsWith('{'));
  console.log(`access log:\n${lines.join('\n')}`);
} finally {
  cleanup();
}
