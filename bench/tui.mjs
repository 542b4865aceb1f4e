// The TUI figures. Here: the time to the first full frame of the built control room (dist/) with
// 10,000 tickets and 50 runtimes, in a real pseudo-terminal, against a bundled Ink hello-world
// measured the same way in the same run. bench/tui.tsx (in process, bundled as dist/ is) adds key press
// to frame latency and bytes per frame with 100,000 tickets.
//
// The terminal is a pane of a private tmux server (`tmux -L cr-bench-<hex>-term -f /dev/null`,
// 120×40); the runtimes are 50 `sleep` sessions on another private server (`cr-bench-<hex>`),
// which the control room watches (--tmux-socket). Both are killed at the end. This process is a
// control-mode client of the terminal's server: it starts each program with `respawn-pane`
// written to that client's stdin, and reads the pane's raw output as it arrives (`%output`). The
// figure is from writing `respawn-pane` to the moment the end of the first frame has arrived: the
// ESC[?2026l that closes Ink's synchronized update, for the control room the first one after the
// ticket summary line, for the hello-world the first one after `hello`. So it counts tmux forking
// the pane, Node starting, loading, reading 10,000 tickets, rendering and the pty, and not the
// terminal's drawing. Every program pays the same tmux overhead; SIGTERM then ends each, and the
// next run starts when the pane is dead. After one warm-up of each, runs rotate among three
// programs: the control room, the stock hello-world (the baseline) and the hello-world
// bundled with the control room's own dependency patches (scripts/bundle-plugins.mjs), whose ratio
// shows what the control room costs beyond an Ink that starts as fast as ours.
// Knobs: CR_BENCH_TUI_RUNS (10), CR_BENCH_TUI_FRAME_TICKETS (10,000), CR_BENCH_TUI_RUNTIMES (50);
// for bench/tui.tsx, CR_BENCH_TUI_TICKETS (100,000) and CR_BENCH_TUI_PRESSES (200).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundlePlugins } from '../scripts/bundle-plugins.mjs';
import { fmt, median, run } from './lib.mjs';
import {
  cleanEnv,
  killServer,
  openTerminal,
  paneDead,
  quote,
  controlClient as termClient,
  tmux,
} from './term.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'control-room.js');
const TICKETS = Number(process.env.CR_BENCH_TUI_FRAME_TICKETS ?? 10_000);
const RUNTIMES = Number(process.env.CR_BENCH_TUI_RUNTIMES ?? 50);
const RUNS = Number(process.env.CR_BENCH_TUI_RUNS ?? 10);
const WIDTH = 120;
const HEIGHT = 40;
const ESU = '\u001b[?2026l';
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const STATES = ['todo', 'todo', 'todo', 'in_progress', 'needs_input', 'review', 'done'];

const latin1 = (text) => Buffer.from(text, 'utf8').toString('latin1');

/**
 * A control-mode client of `socket`, attached to `session`, that keeps the pane's output since
 * the last `watch` and calls `check(now, output)` on each new piece.
 */
function controlClient(socket, session) {
  let output = '';
  let watcher = null;
  const client = termClient(socket, session, (piece, at) => {
    output += piece;
    watcher?.(at);
  });
  return {
    ...client,
    /** Clears the output seen so far, and calls `check(now, output)` on each new piece. */
    watch(check) {
      output = '';
      watcher = (now) => check(now, output);
    },
    output: () => output,
    close() {
      watcher = null;
      client.close();
    },
  };
}

/**
 * Starts `argv` in the pane and resolves with the milliseconds from the respawn command to the
 * ESC[?2026l that follows `marker` in the pane's output, and that output.
 */
async function firstFrame(client, argv, marker, limitMs = 20_000) {
  const want = latin1(marker);
  let started = 0;
  const seen = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no frame with "${marker}" in ${limitMs} ms; got: ${client.output()}`));
    }, limitMs);
    client.watch((now, output) => {
      const at = output.indexOf(want);
      if (at >= 0 && output.indexOf(ESU, at) >= 0) {
        clearTimeout(timer);
        resolve({ ms: now - started, output });
      }
    });
  });
  started = performance.now();
  await client.command(`respawn-pane -t term ${argv.map(quote).join(' ')}`);
  return seen;
}

/**
 * Ends the pane's program with SIGTERM and waits for the pane to die. Not `q`: pressed in the
 * first seconds, `q` can take seconds to end the control room (its runtime monitor's first sweep
 * runs on after the quit, one tmux process a command), which would only slow the bench down.
 */
async function end(client) {
  const [pid] = await client.command("display -p -t term '#{pane_pid}'");
  try {
    process.kill(Number(pid), 'SIGTERM');
  } catch {
    // ended already
  }
  await paneDead(client);
}

/** Waits until the pane's output (since the last watch) holds `text`. */
function waitForText(client, text, limitMs = 15_000) {
  const want = latin1(text);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`"${text}" not on screen in ${limitMs} ms`)),
      limitMs,
    );
    const check = (_now, output) => {
      if (output.includes(want)) {
        clearTimeout(timer);
        resolve();
      }
    };
    client.watch(check);
  });
}

/**
 * The hello-world: the same Ink, bundled like dist/. Stock, it is the baseline. With
 * `plugins` (the bundle's own changes to its dependencies, scripts/bundle-plugins.mjs) it shows
 * what is left of the control room's own cost once Ink starts as fast as in dist/.
 */
async function bundleHello(dir, name, plugins = []) {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    stdin: {
      contents: `
        import { render, Text, useApp, useInput } from 'ink';
        import { createElement } from 'react';
        function Hello() {
          const { exit } = useApp();
          useInput(() => exit());
          return createElement(Text, null, 'hello');
        }
        render(createElement(Hello), {
          exitOnCtrlC: false, incrementalRendering: false, maxFps: 30, patchConsole: false,
        });`,
      resolveDir: root,
      loader: 'js',
    },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    alias: { 'react-devtools-core': join(root, 'scripts', 'empty-module.mjs') },
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: {
      js: "import{createRequire as __crRequire}from'node:module';const require=__crRequire(import.meta.url);",
    },
    logLevel: 'warning',
    plugins,
  });
  return outfile;
}

function ticketsJson(count) {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      key: `BENCH-${i + 1}`,
      title: `Finding ${i + 1}: the parser drops the last line of a file without a newline`,
      severity: SEVERITIES[i % SEVERITIES.length],
      state: STATES[i % STATES.length],
      location: `src/module_${i % 997}.ts:${i % 4000}`,
      body: `The code path ${i} does something the reviewer flagged; it spans\ntwo lines of text, as real findings do.`,
    })),
  );
}

export async function frameFigure(work) {
  if (!existsSync(cli)) {
    return [{ name: 'TUI first frame', value: `skipped: ${cli} does not exist (npm run build)` }];
  }
  const dir = join(work, 'tui');
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const hex = randomBytes(4).toString('hex');
  const runtimes = `cr-bench-${hex}`;
  const term = `cr-bench-${hex}-term`;
  let client;
  try {
    const file = join(dir, 'tickets.json');
    writeFileSync(file, ticketsJson(TICKETS));
    if (TICKETS > 0) {
      await run(process.execPath, [cli, '--home', home, 'tickets', 'import', file], {
        env: cleanEnv(),
      });
    }
    const hello = await bundleHello(dir, 'hello');
    const patchedHello = await bundleHello(dir, 'hello-patched', bundlePlugins);

    if (RUNTIMES > 0) {
      tmux(
        runtimes,
        Array.from({ length: RUNTIMES }, (_, i) => [
          ...(i === 0 ? [] : [';']),
          ...['new-session', '-d', '-s', `rt${i}`, 'sleep 3600'],
        ]).flat(),
      );
    }
    client = await openTerminal(term, WIDTH, HEIGHT, controlClient);

    const crArgv = [process.execPath, cli, '--home', home, '--tmux-socket', runtimes];
    const helloArgv = [process.execPath, hello];
    const patchedArgv = [process.execPath, patchedHello];
    const summary = `${TICKETS} tickets · `;

    // Warm-up, not counted: the file cache, and a check that the screen is what it should be.
    await firstFrame(client, helloArgv, 'hello');
    await end(client);
    await firstFrame(client, patchedArgv, 'hello');
    await end(client);
    const warm = await firstFrame(client, crArgv, summary);
    if (TICKETS > 0 && !warm.output.includes(latin1('j/↓ move down'))) {
      throw new Error('the first frame has no footer');
    }
    const listed = waitForText(client, `${RUNTIMES} runtimes · `);
    await client.command('send-keys -t term r');
    await listed;
    await end(client);

    const times = { cr: [], hello: [], patched: [] };
    const argvs = { cr: crArgv, hello: helloArgv, patched: patchedArgv };
    const rotations = [
      ['cr', 'hello', 'patched'],
      ['hello', 'patched', 'cr'],
      ['patched', 'cr', 'hello'],
    ];
    for (let i = 0; i < RUNS; i += 1) {
      for (const which of rotations[i % rotations.length]) {
        const marker = which === 'cr' ? summary : 'hello';
        times[which].push((await firstFrame(client, argvs[which], marker)).ms);
        await end(client);
      }
    }
    const cr = median(times.cr);
    const base = median(times.hello);
    const patched = median(times.patched);
    const name = `TUI first frame, ${TICKETS.toLocaleString('en')} tickets + ${RUNTIMES} runtimes (median of ${RUNS})`;
    return [
      {
        name,
        value: `${fmt(cr)} (min ${fmt(Math.min(...times.cr))}; spawn in a tmux pane to the frame's end on the pty)`,
        ratio: cr / base,
        baselineName: `bundled Ink hello-world = ${fmt(base)}`,
        target: '≤ 1.3×',
      },
      {
        name: 'TUI first frame, vs a patched hello-world',
        value: fmt(cr),
        ratio: cr / patched,
        baselineName: `hello-world with the bundle's dependency patches = ${fmt(patched)}`,
      },
    ];
  } finally {
    client?.close();
    killServer(term);
    killServer(runtimes);
  }
}

/**
 * bench/tui.tsx bundled as dist/ is (React's production build, the bundle's Ink patches:
 * scripts/ink-*.mjs), then run with no CI flags.
 */
async function keyFigures(work) {
  const outfile = join(work, 'tui-keys.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['bench/tui.tsx'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', '@lydell/node-pty'],
    alias: { 'react-devtools-core': join(root, 'scripts', 'empty-module.mjs') },
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: {
      js: "import{createRequire as __crRequire}from'node:module';const require=__crRequire(import.meta.url);",
    },
    logLevel: 'warning',
    plugins: bundlePlugins,
  });
  const child = spawn(process.execPath, [outfile], {
    cwd: root,
    env: { ...cleanEnv(), NODE_ENV: 'production', CR_BENCH_THEMES: join(root, 'themes') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  // Ink shows the cursor again on exit (ESC[?25h on the real stderr): kept off this terminal.
  child.stderr.on('data', (chunk) => {
    const text = String(chunk).replaceAll('\u001b[?25h', '');
    if (text) process.stderr.write(text);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`bench/tui.tsx exited ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

export async function tuiBench({ work }) {
  const figures = [];
  try {
    figures.push(...(await frameFigure(work)));
  } catch (error) {
    figures.push({ name: 'TUI first frame', value: `failed: ${error.message}` });
  }
  try {
    figures.push(...(await keyFigures(work)));
  } catch (error) {
    figures.push({ name: 'TUI key press figures', value: `failed: ${error.message}` });
  }
  return figures;
}
