// tmux figures: a runtime-list refresh over control mode against one `tmux list-sessions`
// process, the monitor's CPU over a minute with 100 idle sessions, and a 64 KiB send to an idle
// simulated agent. Run by bench/run.mjs (through tsx); prints one JSON array of figures.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { LocalTmuxDriver } from '../src/adapters/tmux/local-driver.js';
import { LocalMonitor } from '../src/adapters/tmux/local-monitor.js';
import { TmuxClient } from '../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../src/adapters/tmux/tmux-watcher.js';
import { builtInProfiles } from '../src/domain/index.js';

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`);
const monitorSeconds = Number(process.env.CR_BENCH_MONITOR_SECONDS ?? 60);

async function withServer<T>(work: (name: string, tmux: TmuxClient) => Promise<T>): Promise<T> {
  const name = `cr-bench-${randomBytes(4).toString('hex')}`;
  const tmux = new TmuxClient({ socketName: name });
  try {
    return await work(name, tmux);
  } finally {
    await execa('tmux', ['-L', name, 'kill-server'], { reject: false });
  }
}

async function sessions(tmux: TmuxClient, count: number): Promise<void> {
  await tmux.run(['-f', '/dev/null', 'new-session', '-d', '-s', 's0', 'sleep 3600']);
  for (let i = 1; i < count; i += 1)
    await tmux.run(['new-session', '-d', '-s', `s${i}`, 'sleep 3600']);
}

async function refreshFigure() {
  return withServer(async (_name, tmux) => {
    await sessions(tmux, 200);
    const watcher = new TmuxWatcher(tmux);
    const up = new Promise((resolve) => watcher.once('up', resolve));
    watcher.start();
    await up;
    const control: number[] = [];
    const spawned: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      let t = performance.now();
      const rows = await watcher.listRows();
      control.push(performance.now() - t);
      if (rows.length !== 200) throw new Error(`expected 200 rows, got ${rows.length}`);
      t = performance.now();
      await tmux.run(['list-sessions']);
      spawned.push(performance.now() - t);
    }
    watcher.stop();
    const c = median(control);
    const s = median(spawned);
    return {
      name: 'runtime list refresh, 200 sessions (median of 30)',
      value: fmt(c),
      ratio: s / c,
      baselineName: `faster than one tmux list-sessions process = ${fmt(s)}`,
      target: '≤ 5 ms, ≥ 3× faster',
    };
  });
}

/** From `tmux new-session` returning to the monitor's listener holding the session (often already there). */
async function noticeFigure() {
  return withServer(async (_name, tmux) => {
    await tmux.run(['-f', '/dev/null', 'new-session', '-d', '-s', 'base']);
    let latest: string[] = [];
    let seen: (() => void) | null = null;
    let want = '';
    const watcher = new TmuxWatcher(tmux);
    // No sweep during the measurement: only tmux's notifications can bring the news.
    const monitor = new LocalMonitor(
      watcher,
      builtInProfiles(process.env),
      {
        runtimes: (list) => {
          latest = list.map((r) => r.name);
          if (want && latest.includes(want)) seen?.();
        },
        stateChanged: () => {},
      },
      3_600_000,
    );
    monitor.start();
    while (!latest.includes('base')) await new Promise((resolve) => setTimeout(resolve, 20));
    const times: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      want = `new${i}`;
      const noticed = new Promise<void>((resolve) => {
        seen = resolve;
      });
      await tmux.run(['new-session', '-d', '-s', want]);
      const t = performance.now();
      await noticed;
      times.push(performance.now() - t);
    }
    monitor.stop();
    return {
      name: 'a new session seen by the monitor, no polling (median of 10)',
      value: fmt(median(times)),
      target: '≤ 500 ms',
    };
  });
}

async function monitorCpuFigure() {
  return withServer(async (_name, tmux) => {
    await sessions(tmux, 100);
    const watcher = new TmuxWatcher(tmux);
    const monitor = new LocalMonitor(watcher, builtInProfiles(process.env), {
      runtimes: () => {},
      stateChanged: () => {},
    });
    monitor.start();
    // Let it settle (first captures of every pane), then measure a quiet stretch.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const before = process.cpuUsage();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, monitorSeconds * 1000));
    const used = process.cpuUsage(before);
    const wall = performance.now() - started;
    monitor.stop();
    const percent = ((used.user + used.system) / 1000 / wall) * 100;
    return {
      name: `monitor CPU, 100 idle sessions, ${monitorSeconds} s`,
      value: `${percent.toFixed(2)}% of one core (this process; tmux server not counted)`,
      target: '≤ 0.5%',
    };
  });
}

async function sendFigure() {
  return withServer(async (_name, tmux) => {
    const dir = mkdtempSync(join(tmpdir(), 'cr-bench-send-'));
    try {
      const sim = [
        process.execPath,
        '--import',
        'tsx',
        'src/sim-agent/main.ts',
        '--log',
        join(dir, 'log.jsonl'),
        '--work-ms',
        '300',
      ];
      const profiles = { sim: { name: 'sim', command: sim, env: {}, detector: 'sim' } };
      await tmux.run(['-f', '/dev/null', 'start-server', ';', 'set', '-g', 'exit-empty', 'off']);
      const watcher = new TmuxWatcher(tmux);
      const driver = new LocalTmuxDriver({ tmux, profiles, watcher });
      const runtime = await driver.create({
        profile: 'sim',
        cwd: process.cwd(),
        name: 'bench-sim',
      });
      const up = new Promise((resolve) => watcher.once('up', resolve));
      watcher.start();
      await up;
      const ready = Date.now() + 10_000;
      while (!(await driver.screen(runtime.id)).lines.join('\n').includes('sim-agent ready')) {
        if (Date.now() > ready) throw new Error('the simulated agent did not start');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const text = `${'x'.repeat(1023)}\n`.repeat(64);
      const times: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        // Wait until it is idle again (the sim works 300 ms a prompt).
        await new Promise((resolve) => setTimeout(resolve, 2500));
        const t = performance.now();
        await driver.send(runtime.id, text, { idempotencyKey: `bench-${i}` });
        times.push(performance.now() - t);
      }
      watcher.stop();
      return {
        name: '64 KiB prompt to an idle agent, call to confirmed (median of 5)',
        value: fmt(median(times)),
        target: '≤ 400 ms',
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const figures = [];
for (const bench of [refreshFigure, noticeFigure, sendFigure, monitorCpuFigure]) {
  try {
    figures.push(await bench());
  } catch (error) {
    figures.push({ name: bench.name, value: `failed: ${(error as Error).message}` });
  }
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
