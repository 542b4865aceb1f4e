// Pickup figures (the dispatcher): pickups per second of ticket i to idle simulated agent i on a
// private tmux server (`-L cr-bench-…`, killed at the end), sequential and all at once; pickups
// per second to a loopback host, both a minimal node:http stub that answers every send with 200 at
// once and a real startHostServer (in this process) over the same simulated agents. Each figure's
// ratio is the dispatcher's time over as many bare driver.send calls (fresh idempotency keys, same
// kind of target, same prompts' size) in the same run, rounds interleaved. Every prompt is checked
// in the agents' --log files: each exactly once, in order. Tickets live in a temp SQLite database.
// Run by bench/run.mjs (through tsx); prints one JSON array of figures. Traffic only to 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/adapters/db/database.js';
import { OutboxRepository } from '../src/adapters/db/outbox-repository.js';
import { ProcessRegistry } from '../src/adapters/db/process-registry.js';
import { TicketRepository } from '../src/adapters/db/ticket-repository.js';
import { HttpRuntimeDriver } from '../src/adapters/http/http-driver.js';
import { LocalTmuxDriver } from '../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../src/adapters/tmux/tmux-watcher.js';
import { type Profile, promptForTicket, type RuntimeDriver } from '../src/domain/index.js';
import { startHostServer } from '../src/host/server.js';
import { Dispatcher } from '../src/services/dispatch/dispatcher.js';

/** Simulated agents, one ticket each per round. */
const AGENTS = Number(process.env.CR_BENCH_PICKUP_AGENTS ?? 8);
/** Rounds of each kind (dispatcher, bare), interleaved. */
const ROUNDS = Number(process.env.CR_BENCH_PICKUP_ROUNDS ?? 4);
/** Sends of one round to the stub host. */
const STUB_SENDS = Number(process.env.CR_BENCH_PICKUP_STUB_SENDS ?? 100);
const HARD_LIMIT_MS = 100_000;
const SIM_WORK_MS = 50;

type Figure = {
  name: string;
  value: string;
  ratio?: number;
  baselineName?: string;
  target?: string;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rate = (count: number, ms: number) => `${((count / ms) * 1000).toFixed(1)}/s`;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

const root = process.cwd();
const socketName = `cr-bench-${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'cr-bench-pickup-'));
const tmux = new TmuxClient({ socketName });
const watcher = new TmuxWatcher(tmux);
const closers: (() => Promise<void> | void)[] = [];

function killTmux(): void {
  try {
    execFileSync('tmux', ['-L', socketName, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

// Everything bounded: past the limit, stop the tmux server and say so.
const hardStop = setTimeout(() => {
  killTmux();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `${JSON.stringify([{ name: 'pickup bench', value: `failed: over ${HARD_LIMIT_MS / 1000} s` }])}\n`,
  );
  process.exit(1);
}, HARD_LIMIT_MS);
hardStop.unref();

/** The built simulated agent when there is one (it starts faster), else the source through tsx. */
function simCommand(): string[] {
  const built = join(root, 'dist', 'sim-agent.js');
  if (process.env.CR_BENCH_SIM !== 'tsx' && existsSync(built)) return [process.execPath, built];
  return [process.execPath, '--import', 'tsx', join(root, 'src', 'sim-agent', 'main.ts')];
}

// One profile per agent, so that each has its own prompt log.
const logs = Array.from({ length: AGENTS }, (_, i) => join(dir, `agent-${i}.jsonl`));
const profiles: Record<string, Profile> = Object.fromEntries(
  logs.map((log, i) => [
    `sim${i}`,
    {
      name: `sim${i}`,
      command: [...simCommand(), '--log', log, '--work-ms', String(SIM_WORK_MS), '--state-hook'],
      env: {},
      detector: 'sim',
    },
  ]),
);
/** What each agent must have logged, in order. */
const expected: string[][] = logs.map(() => []);

/** `total` calls of `one(i)`, `concurrency` at a time: the wall time of all and of each, in ms. */
async function timed(
  total: number,
  concurrency: number,
  one: (i: number) => Promise<void>,
): Promise<{ ms: number; times: number[] }> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next;
      next += 1;
      const t = performance.now();
      await one(i);
      times.push(performance.now() - t);
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { ms: performance.now() - t, times };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return (s.length % 2 ? s[mid] : ((s[mid - 1] as number) + (s[mid] as number)) / 2) as number;
}

function loggedCount(log: string): number {
  if (!existsSync(log)) return 0;
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '').length;
}

/**
 * Until every agent has taken up what was sent to it and is idle again. A send may return before
 * the agent has submitted (with enterDelayMs 0 the driver can take the paste's echo for the
 * confirmation), and the sim's hook reports busy and then idle through tmux processes that may
 * lag, while the driver believes a hook `idle` over the screen. So: first every prompt in the
 * logs; then idle by the hook and no `esc to interrupt` on screen, three looks in a row 40 ms
 * apart.
 */
async function allIdle(driver: RuntimeDriver, limitMs = 15_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (logs.some((log, i) => loggedCount(log) < (expected[i] as string[]).length)) {
    if (Date.now() > until) throw new Error(`prompts not logged in ${limitMs} ms`);
    await sleep(10);
  }
  let looks = 0;
  for (;;) {
    const list = await driver.list();
    const screens = await Promise.all(list.map((r) => driver.screen(r.id)));
    const idle =
      list.length === AGENTS &&
      list.every((r) => r.state === 'idle') &&
      screens.every((s) => !s.lines.join('\n').includes('esc to interrupt'));
    looks = idle ? looks + 1 : 0;
    if (looks >= 3) return;
    if (Date.now() > until) {
      const states = list.map((r) => `${r.name}=${r.state}`).join(' ');
      throw new Error(`agents not idle in ${limitMs} ms: ${states}`);
    }
    await sleep(40);
  }
}

/** Every agent's log holds exactly the prompts sent to it, each once, in order. */
function checkLogs(): void {
  logs.forEach((log, i) => {
    const got = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => (JSON.parse(line) as { prompt: string }).prompt)
      : [];
    const want = expected[i] as string[];
    const same = got.length === want.length && got.every((p, j) => p === want[j]);
    if (!same) {
      throw new Error(
        `agent ${i} logged ${got.length} prompts, ${want.length} were sent (or not the same ones)`,
      );
    }
  });
}

// The tickets: todo, in a fresh database, taken in order.
const dbFile = join(dir, 'bench.db');
const db = openDatabase(dbFile);
closers.push(() => {
  db.close();
});
const tickets = new TicketRepository(db, dbFile, 'BENCH');
const body = 'The parser drops the last line of a file without a trailing newline.';
const imported = tickets.importBatch(
  // Enough for every round below (warm-ups included), dispatcher and bare alike.
  Array.from(
    { length: AGENTS * (6 * ROUNDS + 8) + STUB_SENDS * (2 * ROUNDS + 2) + 400 },
    (_, i) => ({
      line: i + 1,
      draft: {
        title: `bench ticket ${i}: fix the parser`,
        severity: 'medium' as const,
        location: 'src/parser.ts:42',
        body,
      },
    }),
  ),
  'bench',
  new Date().toISOString(),
).imported;
let taken = 0;
function nextKeys(count: number): string[] {
  const keys = imported.slice(taken, taken + count);
  if (keys.length < count) throw new Error('the bench ran out of tickets');
  taken += count;
  return keys;
}
/** Prompts of tickets never picked up: the bare sends' texts, of the same size and shape. */
function spareTexts(count: number): string[] {
  return nextKeys(count).map(promptOf);
}
function promptOf(key: string): string {
  const ticket = tickets.get(key);
  if (!ticket) throw new Error(`no ticket ${key}`);
  return promptForTicket(ticket);
}

const sources = new Map<string, RuntimeDriver>();
const dispatcher = new Dispatcher({
  outbox: new OutboxRepository(db, dbFile, tickets),
  processes: new ProcessRegistry(db, dbFile),
  drivers: {
    driver: async (host) => {
      const driver = sources.get(host);
      if (!driver) throw new Error(`no driver ${host}`);
      return driver;
    },
  },
  role: 'bench',
  attempts: 1, // a failure shows as one, not as a slower pickup
  sendTimeoutMs: 15_000,
  readyTimeoutMs: 15_000,
});

interface Kind {
  /** The host name the dispatcher knows the driver by. */
  host: string;
  driver: RuntimeDriver;
  /** Runtime of send i of a round. */
  runtime: (i: number) => string;
  /** Which agent's log send i lands in (none for the stub). */
  agent: ((i: number) => number) | null;
}

type Round = { ms: number; times: number[] };

/** Send i of a round went to agent kind.agent(i): its log must show the text next. */
function logged(kind: Kind, texts: string[]): void {
  if (!kind.agent) return;
  for (const [i, text] of texts.entries()) expected[kind.agent(i)]?.push(text);
}

/** One round of `count` pickups, `concurrency` at a time. */
async function pickupRound(kind: Kind, count: number, concurrency: number): Promise<Round> {
  const keys = nextKeys(count);
  const prompts = keys.map(promptOf);
  const round = await timed(count, concurrency, async (i) => {
    const outcome = await dispatcher.pickup(keys[i] as string, {
      kind: 'existing',
      host: kind.host,
      runtime: kind.runtime(i),
    });
    if (outcome.kind !== 'delivered') {
      const why = outcome.kind === 'failed' ? `: ${outcome.error.message}` : '';
      throw new Error(`pickup of ${keys[i]} was ${outcome.kind}${why}`);
    }
  });
  logged(kind, prompts);
  return round;
}

/** The same, with bare driver.send calls (fresh keys, prompts of the same size). */
async function bareRound(kind: Kind, count: number, concurrency: number): Promise<Round> {
  const texts = spareTexts(count);
  const round = await timed(count, concurrency, async (i) => {
    await kind.driver.send(kind.runtime(i), texts[i] as string, {
      idempotencyKey: `bench-${randomUUID()}`,
      timeoutMs: 15_000,
    });
  });
  logged(kind, texts);
  return round;
}

interface Measured {
  /** Wall time of all the pickups, and of all the bare sends, in ms. */
  pickup: number;
  bare: number;
  /** Each pickup's and each bare send's time, in ms. */
  pickups: number[];
  bares: number[];
  sends: number;
}

/**
 * `rounds` rounds of each, interleaved (ABBA…) so that machine noise falls on both alike; before
 * each round (not timed) `settle`, which waits for the agents to be idle again.
 */
async function compare(
  kind: Kind,
  count: number,
  concurrency: number,
  rounds: number,
  settle: () => Promise<void>,
): Promise<Measured> {
  const m: Measured = { pickup: 0, bare: 0, pickups: [], bares: [], sends: count * rounds };
  for (let r = 0; r < rounds; r += 1) {
    const order = r % 2 === 0 ? ['pickup', 'bare'] : ['bare', 'pickup'];
    for (const which of order) {
      await settle();
      if (which === 'pickup') {
        const round = await pickupRound(kind, count, concurrency);
        m.pickup += round.ms;
        m.pickups.push(...round.times);
      } else {
        const round = await bareRound(kind, count, concurrency);
        m.bare += round.ms;
        m.bares.push(...round.times);
      }
    }
  }
  return m;
}

/**
 * Pickups per second from the wall time; the ratio is of the wall times (the brief's figure), and
 * for sequential runs the medians of single calls are given too (less swayed by a slow tmux spawn).
 * `subtractMs` of each call (a known sleep) is taken off both sides.
 */
function figure(
  name: string,
  how: string,
  m: Measured,
  baseline: string,
  sequential: boolean,
  subtractMs = 0,
): Figure {
  const pickup = m.pickup - subtractMs * m.sends;
  const bare = m.bare - subtractMs * m.sends;
  const single = sequential
    ? `; median ${fmt(median(m.pickups) - subtractMs)} vs ${fmt(median(m.bares) - subtractMs)} bare`
    : '';
  return {
    name,
    value: `${rate(m.sends, pickup)} (${fmt(pickup / m.sends)} a pickup${single}; ${m.sends} pickups; ${how})`,
    ratio: pickup / bare,
    baselineName: `the wall time of ${m.sends} bare ${baseline}.send calls, fresh keys = ${rate(m.sends, bare)}`,
  };
}

async function localFigures(ids: string[]): Promise<Figure[]> {
  const fast = new LocalTmuxDriver({ tmux, watcher, profiles, enterDelayMs: 0 });
  const slow = new LocalTmuxDriver({ tmux, watcher, profiles, host: 'local-150' });
  sources.set('local', fast);
  sources.set('local-150', slow);
  const settle = () => allIdle(fast);
  const local = (driver: LocalTmuxDriver, host: string): Kind => ({
    host,
    driver,
    runtime: (i) => ids[i] as string,
    agent: (i) => i,
  });
  // Warm-up (JIT, the control connection, the database's statements), not counted.
  await compare(local(fast, 'local'), Math.ceil(AGENTS / 2), 1, 1, settle);
  const out: Figure[] = [];
  const seq = await compare(local(fast, 'local'), AGENTS, 1, ROUNDS, settle);
  const all = await compare(local(fast, 'local'), AGENTS, AGENTS, Math.ceil(ROUNDS / 2), settle);
  const delayed = await compare(local(slow, 'local-150'), AGENTS, 1, 1, settle);
  await settle();
  checkLogs();
  const note = 'enterDelayMs 0; every prompt in the agents’ logs once';
  out.push(
    figure(
      `pickups, local tmux, ${AGENTS} idle sim agents, sequential`,
      note,
      seq,
      'LocalTmuxDriver',
      true,
    ),
    figure(
      `pickups, local tmux, ${AGENTS} idle sim agents, ${AGENTS} at once`,
      note,
      all,
      'LocalTmuxDriver',
      false,
    ),
    figure(
      `pickups, local tmux, ${AGENTS} agents, sequential, 150 ms delay`,
      `default enterDelayMs 150, 150 ms a call subtracted from both sides; a check of the above`,
      delayed,
      'LocalTmuxDriver',
      true,
      150,
    ),
  );
  return out;
}

async function stubFigures(): Promise<Figure[]> {
  let answered = 0;
  const server: Server = createServer((req, res) => {
    const match = /^\/v1\/runtimes\/([^/]+)\/send$/.exec(req.url ?? '');
    req.resume();
    req.on('end', () => {
      if (req.method !== 'POST' || !match) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"not_found","message":"stub"}}');
        return;
      }
      answered += 1;
      const now = new Date().toISOString();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          messageId: `msg_${randomUUID()}`,
          deliveredAt: now,
          runtime: {
            id: decodeURIComponent(match[1] as string),
            name: 'stub',
            profile: 'sim',
            cwd: '/tmp',
            state: 'busy',
            ticket: null,
            createdAt: now,
            lastActivityAt: now,
            command: 'sim',
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const driver = new HttpRuntimeDriver({
    host: 'stub',
    baseUrl: `http://127.0.0.1:${port}`,
    token: null,
  });
  sources.set('stub', driver);
  const kind: Kind = { host: 'stub', driver, runtime: (i) => `rt_${i}_stub`, agent: null };
  const none = async () => {};
  const warmUp = 200;
  await compare(kind, warmUp, 1, 1, none);
  const seq = await compare(kind, STUB_SENDS, 1, ROUNDS, none);
  const all = await compare(kind, STUB_SENDS, AGENTS, 1, none);
  const want = 2 * warmUp + STUB_SENDS * 2 * (ROUNDS + 1);
  if (answered !== want) throw new Error(`the stub answered ${answered} sends, not ${want}`);
  const how = 'node:http stub on 127.0.0.1 answering each send 200 at once';
  return [
    figure('pickups to a loopback stub host, sequential', how, seq, 'HttpRuntimeDriver', true),
    figure(
      `pickups to a loopback stub host, ${AGENTS} at once`,
      how,
      all,
      'HttpRuntimeDriver',
      false,
    ),
  ];
}

async function hostFigures(ids: string[]): Promise<Figure[]> {
  const inner = new LocalTmuxDriver({ tmux, watcher, profiles, enterDelayMs: 0 });
  const host = await startHostServer({
    host: '127.0.0.1',
    port: 0,
    driver: inner,
    profiles,
    idempotencyFile: join(dir, 'host.db'),
    version: 'bench',
    tmuxVersion: async () => (await tmux.version()).text,
    log: () => {},
  });
  closers.push(() => host.close());
  const driver = new HttpRuntimeDriver({ host: 'loop', baseUrl: host.url, token: null });
  sources.set('loop', driver);
  const kind: Kind = { host: 'loop', driver, runtime: (i) => ids[i] as string, agent: (i) => i };
  const settle = () => allIdle(inner);
  await compare(kind, Math.min(AGENTS, 2), 1, 1, settle); // warm-up (the host's code paths)
  const seq = await compare(kind, AGENTS, 1, Math.max(1, Math.ceil(ROUNDS / 2)), settle);
  await settle();
  checkLogs();
  return [
    figure(
      `pickups to a loopback startHostServer, ${AGENTS} sim agents, sequential`,
      'host in this process over LocalTmuxDriver, enterDelayMs 0; every prompt logged once',
      seq,
      'HttpRuntimeDriver',
      true,
    ),
  ];
}

async function startAgents(): Promise<string[]> {
  await tmux.run(['-f', '/dev/null', 'start-server', ';', 'set', '-g', 'exit-empty', 'off']);
  const maker = new LocalTmuxDriver({ tmux, watcher, profiles });
  const create = async (i: number) =>
    (await maker.create({ profile: `sim${i}`, cwd: root, name: `agent-${i}` })).id;
  // The watcher attaches to a session: the first one, then the rest at once.
  const first = await create(0);
  const up = new Promise((resolve) => watcher.once('up', resolve));
  watcher.start();
  await Promise.race([up, sleep(5000)]);
  const rest = await Promise.all(Array.from({ length: AGENTS - 1 }, (_, i) => create(i + 1)));
  await allIdle(maker, 30_000);
  return [first, ...rest];
}

const figures: Figure[] = [];
try {
  const ids = await startAgents();
  dispatcher.start();
  for (const [name, step] of [
    ['pickups, local tmux', () => localFigures(ids)],
    ['pickups to a loopback stub host', stubFigures],
    ['pickups to a loopback startHostServer', () => hostFigures(ids)],
  ] as [string, () => Promise<Figure[]>][]) {
    try {
      figures.push(...(await step()));
    } catch (error) {
      figures.push({ name, value: `failed: ${(error as Error).message}` });
    }
  }
} catch (error) {
  figures.push({ name: 'pickup bench', value: `failed: ${(error as Error).message}` });
} finally {
  dispatcher.stop();
  for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
  watcher.stop();
  killTmux();
  rmSync(dir, { recursive: true, force: true });
  clearTimeout(hardStop);
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
