// `control-room watch`: how soon a line the runtime prints is on the control room's screen, and
// what watching costs, with the runtime idle and while it prints 1 MB/s. Both programs run in
// pseudo-terminals, as in bench/tui.mjs: the runtime is a session of one private tmux server
// (`tmux -L cr-bench-<hex>`, 120×38), the control room (`control-room --tmux-socket cr-bench-<hex>
// watch rt`, the built CLI: dist/control-room.js, or CR_BENCH_CLI) a pane of another
// (`cr-bench-<hex>-term`, 120×40), whose raw output this process reads as it arrives through a
// control-mode client (`%output`). Both servers are killed at the end, whatever happens.
//
// The runtime is a small node script (runtime.mjs in the work dir, stdin in raw mode). On a key
// (`send-keys`) it prints N markers `MARK-<6 digits>`, 150–350 ms apart at random (so that they
// fall at every phase of a poller's period), and logs each with the time just before its
// write(): performance.timeOrigin + performance.now(), a wall clock with sub-ms steps, the same
// in every process on this machine. A marker's latency is from that time to the first `%output`
// of the terminal pane that holds it (the same clock, taken as the chunk arrives here). Idle, the
// markers are plain lines. At 1 MB/s a plain line would scroll off the screen in ~4 ms (100 lines
// every 10 ms), before any screen reader could see it; so the runtime floods a scroll region
// (rows 1 to 37, paced to 1 MB/s overall: ~100-byte lines of text, topped up every 10 ms) and puts
// each marker on the status line below it (row 38), where it stays until the next one, as an
// agent's status line does under a stream of output. A marker not on the terminal 1.5 s after the
// last one was printed counts as lost.
//
// The baseline, measured in the same run on the same runtime: a 100 ms `capture-pane` polling loop
// as peers use (poller.mjs: every 100 ms, one at a time, `tmux -L <runtimes> capture-pane -p -t
// <pane>`), which writes each screen that changed to its own pane of the terminal server, in
// place of the control room. This is the fairer of the two ways the issue offers: both are timed
// at the terminal alike, each paying for getting its screen onto a pty (timing the poller when
// its capture returns would give it for free the write, and the tmux hop, that the control room
// pays for). The control room is measured first, then the poller; each sees the same cases.
//
// CPU: utime + stime from /proc/<pid>/stat of the program in the terminal pane (#{pane_pid}: the
// control room's node process; the poller's), over a window: idle, CR_BENCH_WATCH_CPU_MS (5 s)
// with the runtime printing nothing, after 1.5 s to settle; at 1 MB/s, from 0.7 s into the flood
// to the last marker (~7 s). The figure is the node process; the text adds its tmux processes
// (the control room's live `tmux -C` clients; the poller's finished `capture-pane` runs, from
// cutime + cstime), and the ratio is of those totals, as they are what each costs the machine.
// Knobs: CR_BENCH_WATCH_MARKS (30 a case), CR_BENCH_WATCH_CPU_MS (5000), CR_BENCH_WATCH_RATE
// (bytes a second, 1,000,000), CR_BENCH_CLI (the built CLI); CR_BENCH_WATCH_VERBOSE=1 prints
// every latency to stderr.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib.mjs';
import {
  killServer,
  openTerminal,
  paneDead,
  quote,
  controlClient as termClient,
  tmux,
} from './term.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = process.env.CR_BENCH_CLI ?? join(root, 'dist', 'control-room.js');
const MARKS = Number(process.env.CR_BENCH_WATCH_MARKS ?? 30);
const CPU_MS = Number(process.env.CR_BENCH_WATCH_CPU_MS ?? 5000);
const RATE = Number(process.env.CR_BENCH_WATCH_RATE ?? 1_000_000);
const WIDTH = 120;
const HEIGHT = 40;
const RUNTIME_HEIGHT = 38;
const POLL_MS = 100;
const LOST_AFTER_MS = 1500;
const MARK = /MARK-(\d{6})/g;
const VERBOSE = process.env.CR_BENCH_WATCH_VERBOSE === '1';

/** A wall clock in ms with sub-ms steps, comparable across processes on this machine. */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The runtime: argv log file, marks a case, bytes a second. Keys: i = idle markers (plain lines),
// f = flood (a scroll region above, markers on the status line below), q = stop the flood.
// Raw mode: no echo of the keys, and no output processing (so \r\n by hand).
const RUNTIME_JS = `
import { appendFileSync } from 'node:fs';
const [log, marksArg, rateArg] = process.argv.slice(2);
const MARKS = Number(marksArg);
const RATE = Number(rateArg);
const now = () => performance.timeOrigin + performance.now();
const out = process.stdout;
const rows = () => out.rows || 38;
const letters = 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:-+=/()[]{}';
let pool = '';
for (let i = 0; i < 65536; i += 1) pool += letters[Math.floor(Math.random() * letters.length)];
let k = 0;
let flood = null;
const ready = () => out.write('\\x1b[r\\x1b[2J\\x1b[HRUNTIME READY\\r\\n');
function mark(status) {
  k += 1;
  const id = 'MARK-' + String(k).padStart(6, '0');
  const text = status
    ? '\\x1b7\\x1b[' + rows() + ';1H' + id + ' on the status line\\x1b[K\\x1b8'
    : id + ' printed by the runtime\\r\\n';
  const t = now();
  out.write(text);
  appendFileSync(log, id + ' ' + t.toFixed(3) + '\\n');
}
function marks(status) {
  let left = MARKS;
  const next = () => {
    if (left === 0) {
      appendFileSync(log, 'DONE\\n');
      return;
    }
    left -= 1;
    mark(status);
    setTimeout(next, 150 + Math.random() * 200);
  };
  setTimeout(next, 150 + Math.random() * 200);
}
function startFlood() {
  const r = rows();
  out.write('\\x1b[2J\\x1b[1;' + (r - 1) + 'r\\x1b[' + (r - 1) + ';1H');
  const started = now();
  let written = 0;
  let line = 0;
  const timer = setInterval(() => {
    const owed = Math.min((RATE * (now() - started)) / 1000 - written, RATE / 10);
    let chunk = '';
    while (chunk.length < owed) {
      line += 1;
      const at = (line * 7919) % (pool.length - 100);
      chunk += line + ' ' + pool.slice(at, at + 92) + '\\r\\n';
    }
    if (chunk) {
      out.write(chunk);
      written += chunk.length;
    }
  }, 10);
  flood = { timer, started, written: () => written };
  setTimeout(() => marks(true), 500);
}
function stopFlood() {
  if (!flood) return;
  clearInterval(flood.timer);
  appendFileSync(log, 'RATE ' + flood.written() + ' ' + (now() - flood.started).toFixed(1) + '\\n');
  flood = null;
  ready();
}
process.stdin.setRawMode(true);
process.stdin.on('data', (data) => {
  for (const key of data.toString()) {
    if (key === 'i') marks(false);
    else if (key === 'f' && !flood) startFlood();
    else if (key === 'q') stopFlood();
  }
});
ready();
`;

// The baseline: argv the runtimes' tmux socket, the runtime's pane. Every 100 ms (a capture at
// a time), capture-pane -p; a screen that changed is written over its own pane, home first.
const POLLER_JS = `
import { execFile } from 'node:child_process';
const [socket, pane, ms] = process.argv.slice(2);
let busy = false;
let last = '';
process.stdout.write('\\x1b[?25l\\x1b[2J');
setInterval(() => {
  if (busy) return;
  busy = true;
  execFile('tmux', ['-L', socket, 'capture-pane', '-p', '-t', pane], (error, stdout) => {
    busy = false;
    if (error || stdout === last) return;
    last = stdout;
    const lines = stdout.replace(/\\n$/, '').split('\\n').slice(0, process.stdout.rows || 40);
    process.stdout.write('\\x1b[H' + lines.map((l) => l + '\\x1b[K').join('\\r\\n') + '\\x1b[J');
  });
}, Number(ms));
`;

/**
 * A control-mode client of `socket` attached to `session`: answers to commands, and the pane's
 * output scanned for markers (the first arrival of each, in `seen`) and for `waitFor` text.
 */
function controlClient(socket, session) {
  const seen = new Map();
  const waiters = new Set();
  // The tail of the output so far: enough to find a marker or a text split between chunks.
  let tail = '';
  const client = termClient(
    socket,
    session,
    (piece, at) => {
      const text = tail + piece;
      for (const match of text.matchAll(MARK)) {
        if (!seen.has(match[1])) seen.set(match[1], at);
      }
      for (const waiter of waiters) waiter(text);
      tail = text.slice(-200);
    },
    now,
  );
  return {
    ...client,
    seen,
    /** Resolves when `text` arrives in the pane's output from now on. */
    waitFor(text, limitMs = 20_000) {
      return new Promise((resolve, reject) => {
        const waiter = (output) => {
          if (!output.includes(text)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`"${text}" not on the terminal in ${limitMs} ms; last: ${tail}`));
        }, limitMs);
        waiters.add(waiter);
      });
    },
  };
}

/** Starts `argv` in the terminal pane; resolves with its pid once `text` is on the terminal. */
async function start(client, argv, text) {
  const shown = client.waitFor(text);
  await client.command(`respawn-pane -t term ${argv.map(quote).join(' ')}`);
  await shown;
  const [pid] = await client.command("display -p -t term '#{pane_pid}'");
  return Number(pid);
}

async function end(client, pid) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // ended already
  }
  await paneDead(client);
}

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** utime, stime, cutime, cstime and ppid of a process, from /proc (null: gone). */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return { ppid: Number(fields[1]), own: utime + stime, children: cutime + cstime };
  } catch {
    return null;
  }
}

/** The live descendants of `pid`. */
function descendants(pid) {
  const parents = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s) parents.set(Number(name), s.ppid);
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Clock ticks of `pid` and of its tmux processes (live descendants, and the finished ones). */
function cpuSample(pid) {
  const main = stat(pid);
  if (!main) throw new Error(`process ${pid} is gone`);
  const live = new Map();
  for (const child of descendants(pid)) {
    const s = stat(child);
    if (s) live.set(child, s.own);
  }
  return { at: now(), own: main.own, reaped: main.children, live };
}

/** % of one core over the window between two samples: the process, and with its tmux processes. */
function cpuUse(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks) => (100 * ticks) / TICKS / seconds;
  let children = b.reaped - a.reaped;
  // Live children: what they used in the window (those that started in it, all of it).
  for (const [child, ticks] of b.live) children += ticks - (a.live.get(child) ?? 0);
  return { own: pct(b.own - a.own), total: pct(b.own - a.own + children), seconds };
}

/** The runtime's log: printed markers (id → time), cases done, the flood's bytes and ms. */
function readLog(file) {
  const printed = new Map();
  let done = 0;
  let rate = null;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    const [word, a, b] = line.split(' ');
    if (word === 'DONE') done += 1;
    else if (word === 'RATE') rate = (Number(a) * 1000) / Number(b);
    else if (word?.startsWith('MARK-')) printed.set(word.slice(5), Number(a));
  }
  return { printed, done, rate };
}

async function until(check, limitMs, what) {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not in ${limitMs} ms`);
    await sleep(50);
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * One case: presses `key` in the runtime, waits for its markers to be printed (and for them on
 * the terminal, or LOST_AFTER_MS), and returns their latencies; with `cpuOf`, also the CPU of
 * that process from `cpuAfterMs` in to the last marker.
 */
async function markCase(ctx, client, key, cpuOf, cpuAfterMs = 0) {
  const before = readLog(ctx.log);
  const printed = () => readLog(ctx.log).done > before.done;
  tmux(ctx.runtimes, ['send-keys', '-t', ctx.pane, key]);
  let cpu = null;
  if (cpuOf) {
    await sleep(cpuAfterMs);
    const from = cpuSample(cpuOf);
    await until(printed, 30_000 + MARKS * 500, 'the markers');
    cpu = cpuUse(from, cpuSample(cpuOf));
  } else await until(printed, 30_000 + MARKS * 500, 'the markers');
  const mine = [...readLog(ctx.log).printed].filter(([id]) => !before.printed.has(id));
  const arrived = () => mine.every(([id]) => client.seen.has(id));
  await until(arrived, LOST_AFTER_MS, 'all markers').catch(() => {});
  const latencies = mine
    .filter(([id]) => client.seen.has(id))
    .map(([id, printedAt]) => client.seen.get(id) - printedAt)
    .sort((a, b) => a - b);
  if (latencies.length === 0) throw new Error(`none of the ${mine.length} markers came through`);
  if (VERBOSE) {
    const list = latencies.map((l) => l.toFixed(1)).join(' ');
    console.error(`watch: ${ctx.watcher}, ${key === 'f' ? 'flood' : 'idle'}, ms: ${list}`);
  }
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.at(-1),
    lost: mine.length - latencies.length,
    count: mine.length,
    cpu,
  };
}

/** The four measurements of one watcher (the control room or the poller) in the terminal pane. */
async function measure(ctx, client, watcher, argv) {
  ctx.watcher = watcher;
  const pid = await start(client, argv, 'RUNTIME READY');
  try {
    await sleep(1500);
    const a = cpuSample(pid);
    await sleep(CPU_MS);
    const idleCpu = cpuUse(a, cpuSample(pid));
    const idle = await markCase(ctx, client, 'i');
    const flood = await markCase(ctx, client, 'f', pid, 700);
    tmux(ctx.runtimes, ['send-keys', '-t', ctx.pane, 'q']);
    await until(() => readLog(ctx.log).rate !== null, 5000, 'the end of the flood');
    const { rate } = readLog(ctx.log);
    writeFileSync(ctx.log, '');
    return { idleCpu, idle, flood, floodCpu: flood.cpu, rate };
  } finally {
    await end(client, pid);
  }
}

const pct = (value) => `${value.toFixed(1)}%`;

async function watchFigures(work) {
  const dir = join(work, 'watch');
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const hex = randomBytes(4).toString('hex');
  const runtimes = `cr-bench-${hex}`;
  const term = `cr-bench-${hex}-term`;
  const log = join(dir, 'marks.log');
  const runtimeJs = join(dir, 'runtime.mjs');
  const pollerJs = join(dir, 'poller.mjs');
  writeFileSync(runtimeJs, RUNTIME_JS);
  writeFileSync(pollerJs, POLLER_JS);
  writeFileSync(log, '');
  let client;
  try {
    tmux(runtimes, [
      'new-session',
      '-d',
      '-s',
      'rt',
      '-x',
      String(WIDTH),
      '-y',
      String(RUNTIME_HEIGHT),
      process.execPath,
      runtimeJs,
      log,
      String(MARKS),
      String(RATE),
    ]);
    const pane = tmux(runtimes, ['display', '-p', '-t', 'rt', '#{pane_id}']).trim();
    client = await openTerminal(term, WIDTH, HEIGHT, controlClient);

    const ctx = { runtimes, pane, log };
    const cr = await measure(ctx, client, 'control room', [
      process.execPath,
      cli,
      '--home',
      home,
      '--tmux-socket',
      runtimes,
      'watch',
      'rt',
    ]);
    const poll = await measure(ctx, client, 'poller', [
      process.execPath,
      pollerJs,
      runtimes,
      pane,
      String(POLL_MS),
    ]);

    const mbps = `${((cr.rate ?? 0) / 1e6).toFixed(2)} MB/s`;
    const base = `${POLL_MS} ms capture-pane poll`;
    const detail = (c) =>
      `max ${fmt(c.max)}, ${c.count - c.lost}/${c.count} seen${c.lost ? `, ${c.lost} LOST` : ''}`;
    const latency = (label, c, b, which, target) => ({
      name: `watch latency, ${label}: ${which}`,
      value: which === 'p95' ? `${fmt(c.p95)} (${detail(c)})` : fmt(c.p50),
      ratio: c[which] / b[which],
      baselineName: `${base} = ${fmt(b[which])}${which === 'p95' ? ` (${detail(b)})` : ''}`,
      ...(target ? { target } : {}),
    });
    const cpu = (label, c, b, target) => ({
      name: `watch CPU, ${label}`,
      value: `${pct(c.own)} of a core (with its tmux clients ${pct(c.total)}; ${c.seconds.toFixed(1)} s)`,
      ratio: b.total > 0 ? c.total / b.total : undefined,
      baselineName: `${base}, node + its tmux runs = ${pct(b.total)} (node ${pct(b.own)})`,
      target,
    });
    return [
      latency('idle runtime', cr.idle, poll.idle, 'p50'),
      latency('idle runtime', cr.idle, poll.idle, 'p95', '≤ 50 ms'),
      latency(`runtime at ${mbps}`, cr.flood, poll.flood, 'p50'),
      latency(`runtime at ${mbps}`, cr.flood, poll.flood, 'p95', '≤ 50 ms'),
      cpu('idle runtime', cr.idleCpu, poll.idleCpu, '≈ 0'),
      cpu(`runtime at ${mbps}`, cr.floodCpu, poll.floodCpu, '≤ 25% of a core'),
    ];
  } finally {
    client?.close();
    killServer(term);
    killServer(runtimes);
  }
}

export async function watchBench({ work }) {
  if (!existsSync(cli)) {
    return [{ name: 'watch', value: `skipped: ${cli} does not exist (npm run build)` }];
  }
  try {
    return await watchFigures(work);
  } catch (error) {
    return [{ name: 'watch', value: `failed: ${error.message}` }];
  }
}
