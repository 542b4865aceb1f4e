// Host figures (issue 4): GET /v1/runtimes with 200 runtimes under 50 concurrent keep-alive
// clients (p50, p99) against the same listing done in-process through the driver; a send to an
// idle simulated agent over loopback (p50, p99, serialized); the host's RSS before and after
// 100,000 requests. The host runs in a child process (bench/host-child.ts) so its RSS is its
// own; a private tmux server (`-L cr-bench-…`, killed at the end) holds the sessions. Run by
// bench/run.mjs (through tsx); prints one JSON array of figures. Traffic only to 127.0.0.1.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTmuxDriver } from '../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../src/adapters/tmux/tmux-watcher.js';

const SESSIONS = 200;
const CLIENTS = 50;
const LIST_REQUESTS = Number(process.env.CR_BENCH_HOST_LIST_REQUESTS ?? 1000);
const BULK_REQUESTS = Number(process.env.CR_BENCH_HOST_BULK_REQUESTS ?? 100_000);
const SENDS = 20;
const HARD_LIMIT_MS = 170_000;

type Figure = {
  name: string;
  value: string;
  ratio?: number;
  baselineName?: string;
  target?: string;
};

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`);
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

const socketName = `cr-bench-${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'cr-bench-host-'));
const tmux = new TmuxClient({ socketName });
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
let child: ChildProcess | null = null;

function cleanup(): void {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  try {
    execFileSync('tmux', ['-L', socketName, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // already gone
  }
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
}

// Everything bounded: past the limit, stop the host and the tmux server and say so.
const hardStop = setTimeout(() => {
  cleanup();
  process.stdout.write(
    `${JSON.stringify([{ name: 'host bench', value: `failed: over ${HARD_LIMIT_MS / 1000} s` }])}\n`,
  );
  process.exit(1);
}, HARD_LIMIT_MS);
hardStop.unref();

interface Reply {
  status: number;
  body: string;
}

function call(base: URL, method: string, path: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** `total` calls of `one`, `clients` at a time; each call's latency in ms. */
async function load(total: number, clients: number, one: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      const t = performance.now();
      await one();
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return times;
}

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

async function startChild(): Promise<{ url: URL; pid: number }> {
  const errFd = openSync(join(dir, 'host-stderr.log'), 'w');
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/host-child.ts', socketName, dir],
    { cwd: process.cwd(), stdio: ['pipe', 'pipe', errFd] },
  );
  closeSync(errFd);
  child = proc;
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the host did not start in 20 s')), 20_000);
    proc.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.trim());
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited ${code}: ${hostStderr()}`));
    });
  });
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`unexpected host url ${url}`);
  return { url: new URL(url), pid: proc.pid as number };
}

function hostStderr(): string {
  try {
    return readFileSync(join(dir, 'host-stderr.log'), 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

async function listFigures(base: URL): Promise<Figure[]> {
  // Warm up both sides (JIT, the host's control-mode connection) before measuring.
  const first = await call(base, 'GET', '/v1/runtimes');
  const size = Buffer.byteLength(first.body);
  const count = (JSON.parse(first.body) as { runtimes: unknown[] }).runtimes.length;
  if (first.status !== 200 || count !== SESSIONS) {
    throw new Error(`GET /v1/runtimes: ${first.status}, ${count} runtimes`);
  }
  const getList = async () => {
    const reply = await call(base, 'GET', '/v1/runtimes');
    if (reply.status !== 200) throw new Error(`GET /v1/runtimes: ${reply.status}`);
  };
  await load(100, CLIENTS, getList);
  const http = await load(LIST_REQUESTS, CLIENTS, getList);

  // Baseline: the same listing in-process through a LocalTmuxDriver (its own started watcher),
  // same count and concurrency, no HTTP.
  const watcher = new TmuxWatcher(tmux);
  const up = new Promise((resolve) => watcher.once('up', resolve));
  watcher.start();
  await up;
  const driver = new LocalTmuxDriver({ tmux, watcher, profiles: {} });
  const listDirect = async () => {
    const runtimes = await driver.list();
    if (runtimes.length !== SESSIONS) throw new Error(`driver.list(): ${runtimes.length}`);
  };
  await load(100, CLIENTS, listDirect);
  const direct = await load(LIST_REQUESTS, CLIENTS, listDirect);
  watcher.stop();

  const out: Figure[] = [];
  for (const p of [50, 99]) {
    const h = percentile(http, p);
    const d = percentile(direct, p);
    out.push({
      name: `GET /v1/runtimes, ${SESSIONS} runtimes, ${CLIENTS} clients, p${p} (${LIST_REQUESTS} GETs)`,
      value: `${fmt(h)} (${(size / 1024).toFixed(1)} KiB body)`,
      ratio: h / d,
      baselineName: `of the same listing in-process via LocalTmuxDriver.list(), ${CLIENTS} concurrent, p${p} = ${fmt(d)}`,
    });
  }
  return out;
}

async function rssFigure(base: URL, pid: number): Promise<Figure> {
  const before = rssKiB(pid);
  let failed = 0;
  const health = async () => {
    const reply = await call(base, 'GET', '/v1/health');
    if (reply.status !== 200) failed += 1;
  };
  const half = Math.floor(BULK_REQUESTS / 2);
  const t = performance.now();
  await load(half, CLIENTS, health);
  const middle = rssKiB(pid);
  await load(BULK_REQUESTS - half, CLIENTS, health);
  const seconds = (performance.now() - t) / 1000;
  const after = rssKiB(pid);
  if (failed > 0) throw new Error(`${failed} of ${BULK_REQUESTS} GET /v1/health failed`);
  return {
    name: `host RSS after ${BULK_REQUESTS} GET /v1/health (${CLIENTS} clients; the bulk is GET /v1/health)`,
    value: `${mib(after)} (before ${mib(before)}, halfway ${mib(middle)}; ${Math.round(BULK_REQUESTS / seconds)} req/s)`,
    ratio: after / before,
    baselineName: `of the RSS before, measured after ${LIST_REQUESTS + 101} GET /v1/runtimes`,
    target: 'bounded',
  };
}

async function waitIdle(base: URL, id: string, limitMs: number): Promise<void> {
  // The hook's idle may lag the screen's busy just after a send: two idle looks in a row.
  const until = Date.now() + limitMs;
  let idleLooks = 0;
  for (;;) {
    const reply = await call(base, 'GET', `/v1/runtimes/${id}`);
    const idle =
      reply.status === 200 && (JSON.parse(reply.body) as { state: string }).state === 'idle';
    idleLooks = idle ? idleLooks + 1 : 0;
    if (idleLooks >= 2) return;
    if (Date.now() > until) throw new Error(`runtime ${id} not idle in ${limitMs} ms`);
    await sleep(20);
  }
}

async function sendFigures(base: URL): Promise<Figure[]> {
  const created = await call(base, 'POST', '/v1/runtimes', {
    profile: 'sim',
    name: 'bench-sim',
    cwd: process.cwd(),
  });
  if (created.status !== 201)
    throw new Error(`POST /v1/runtimes: ${created.status} ${created.body}`);
  const id = (JSON.parse(created.body) as { id: string }).id;
  await waitIdle(base, id, 15_000);
  const run = randomBytes(4).toString('hex');
  const times: number[] = [];
  for (let i = 0; i < SENDS; i += 1) {
    const t = performance.now();
    const reply = await call(base, 'POST', `/v1/runtimes/${id}/send`, {
      text: `bench prompt ${i}: list the files`,
      idempotencyKey: `bench-${run}-${i}`,
    });
    times.push(performance.now() - t);
    if (reply.status !== 200) throw new Error(`send ${i}: ${reply.status} ${reply.body}`);
    await sleep(100); // the sim works 50 ms a prompt; not timed
    await waitIdle(base, id, 10_000); // not timed
  }
  return [50, 99].map((p) => ({
    name: `send to an idle sim agent over loopback, p${p} (${SENDS} serialized sends)`,
    value: `${fmt(percentile(times, p))} (call to 200 confirmed; includes the driver's 150 ms paste-to-Enter delay)`,
  }));
}

const figures: Figure[] = [];
try {
  await tmux.run(['-f', '/dev/null', 'new-session', '-d', '-s', 's0', 'sleep 3600']);
  for (let i = 1; i < SESSIONS; i += 1)
    await tmux.run(['new-session', '-d', '-s', `s${i}`, 'sleep 3600']);
  const { url, pid } = await startChild();
  for (const [name, step] of [
    ['GET /v1/runtimes', () => listFigures(url)],
    ['host RSS', async () => [await rssFigure(url, pid)]],
    ['send', () => sendFigures(url)],
  ] as [string, () => Promise<Figure[]>][]) {
    try {
      figures.push(...(await step()));
    } catch (error) {
      figures.push({ name, value: `failed: ${(error as Error).message}` });
    }
  }
} catch (error) {
  figures.push({ name: 'host bench', value: `failed: ${(error as Error).message}` });
} finally {
  // Assigned inside startChild, which the compiler's narrowing does not see.
  const host = child as ChildProcess | null;
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host.once('exit', resolve));
    host.kill('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
  }
  cleanup();
  clearTimeout(hardStop);
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
