import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { commandLine } from '../../src/adapters/tmux/control-client.js';
import { LineSplitter, parseGuard } from '../../src/adapters/tmux/control-protocol.js';
import {
  CAPTURE_INTERVAL_MS,
  type CaptureReason,
  type LocalLiveOptions,
  LocalLiveSource,
} from '../../src/adapters/tmux/pane-watcher.js';
import { runtimeId } from '../../src/adapters/tmux/runtime-rows.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import type { ScreenWatch } from '../../src/domain/live.js';
import { ScreenLog } from './helpers/pane-screens.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * The local live console watcher against a real, private tmux server (`tmux -L cr-it-…`): shells
 * in sessions print what the tests type, and the watched screens must show it. Typed commands
 * compute their marker (`$((6*7))`), so the echo of the command line never matches it.
 */

const server = privateTmuxPerTest();
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function shell(name: string, cols = 80, rows = 24): Promise<{ id: string; pane: string }> {
  await server.tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(cols),
    '-y',
    String(rows),
    '--',
    'env',
    'PS1=$ ',
    'bash',
    '--norc',
    '--noprofile',
  );
  const line = await server.tmux(
    'display-message',
    '-p',
    '-t',
    `=${name}:`,
    '#{session_id} #{session_created} #{pane_id}',
  );
  const [sessionId = '', created = '', pane = ''] = line.split(' ');
  return { id: runtimeId({ sessionId, sessionCreated: Number(created) }), pane };
}

async function type(name: string, text: string): Promise<void> {
  await server.tmux('send-keys', '-t', `=${name}:`, '-l', text);
  await server.tmux('send-keys', '-t', `=${name}:`, 'Enter');
}

function source(options: LocalLiveOptions = {}): LocalLiveSource {
  return new LocalLiveSource(new TmuxClient({ socketName: server.name() }), options);
}

function watch(live: LocalLiveSource, id: string): { log: ScreenLog; watch: ScreenWatch } {
  const log = new ScreenLog();
  const handle = live.watchScreen(id, log);
  stops.push(() => handle.stop());
  return { log, watch: handle };
}

/** Our control clients on the private server (the watcher's, while it runs). */
async function controlClients(): Promise<string[]> {
  const out = await server.tmux('list-clients', '-F', '#{client_name} #{client_flags}');
  return out
    .split('\n')
    .filter((l) => l.includes('control-mode'))
    .map((l) => l.split(' ')[0] as string);
}

describe('LocalLiveSource.watchScreen', () => {
  it('shows the screen at once, then a line printed in the pane', async () => {
    const { id } = await shell('w-print');
    const { log } = watch(source(), id);
    const first = await log.next(() => true, 'the first screen');
    expect(first).toMatchObject({ cols: 80, rows: 24, scroll: 0 });
    expect(first.lines).toHaveLength(24);
    await type('w-print', `printf 'hello-%s\\n' $((6*7))`);
    const screen = await log.showing('hello-42');
    expect(screen.cursor.y).toBeGreaterThan(0);
    expect(await controlClients()).toHaveLength(1);
  });

  it('keeps SGR colours, carries them per line, and lets nothing else through', async () => {
    const { id } = await shell('w-sgr');
    const { log } = watch(source(), id);
    await log.next(() => true, 'the first screen');
    // A title (OSC 0), cursor movement and a blue bold run that spans two lines.
    await type(
      'w-sgr',
      `printf '\\033]0;TITLE-%s\\007\\033[31mred-%s\\033[0m\\033[3Cgap\\n\\033[1;34mblue\\nnext-%s\\033[0m\\n' x $((1+1)) $((3+4))`,
    );
    const screen = await log.showing('next-7');
    const red = screen.lines.find((l) => l.includes('red-2')) as string;
    expect(red).toContain('\x1b[31mred-2');
    expect(red.replace(/\x1b\[[0-9;:]*m/g, '')).toMatch(/^red-2 {3}gap$/);
    const next = screen.lines.find((l) => l.includes('next-7')) as string;
    // capture-pane -e starts `next` in the colour the line above left on: the line carries it.
    expect(next.startsWith('\x1b[')).toBe(true);
    expect(next.endsWith('\x1b[0m')).toBe(true);
    for (const line of screen.lines) {
      expect(line).not.toContain('TITLE-x');
      // Every escape left is an SGR.
      expect(line.replace(/\x1b\[[0-9;:]*m/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    }
  });

  it('costs nothing while the pane is quiet, and throttles while it prints', async () => {
    const { id } = await shell('w-idle');
    const captures: { reason: CaptureReason; at: number }[] = [];
    const { log } = watch(
      source({ onCapture: (reason) => captures.push({ reason, at: Date.now() }) }),
      id,
    );
    await type('w-idle', `printf 'ready-%s\\n' $((1+1))`);
    await log.next((s) => s.lines.some((l) => l.includes('ready-2')) && s.cursor.y > 1, 'ready');
    await sleep(300); // the prompt's last capture settles
    const before = { captures: captures.length, screens: log.screens.length };
    await sleep(500); // nothing is printed in here: nothing may be read
    expect({ captures: captures.length, screens: log.screens.length }).toEqual(before);
    // Still watching: a burst of output gets read, at most every CAPTURE_INTERVAL_MS.
    await type(
      'w-idle',
      `for i in $(seq 1 30); do echo tick-$i; sleep 0.02; done; echo end-$((5*5))`,
    );
    await log.showing('end-25');
    const later = captures.slice(before.captures);
    expect(later.length).toBeGreaterThan(1);
    for (let i = 1; i < later.length; i++) {
      const gap = (later[i]?.at ?? 0) - (later[i - 1]?.at ?? 0);
      // Timer granularity: a few ms early at most.
      expect(gap).toBeGreaterThanOrEqual(CAPTURE_INTERVAL_MS - 5);
    }
  });

  it('scrolls back through the history and follows its lines while output arrives', async () => {
    const { id } = await shell('w-scroll');
    const { log, watch: handle } = watch(source(), id);
    await type('w-scroll', "seq -f 'n%03g' 1 200");
    const live = await log.next((s) => s.lines.includes('n200') && s.cursor.y === 23, 'n200');
    const row = live.lines.indexOf('n200');
    expect(live.history).toBeGreaterThan(150);
    handle.scrollTo(50);
    const back = await log.next((s) => s.scroll === 50, 'the view 50 lines back');
    expect(back.lines[row]).toBe('n150');
    expect(back.lines).toHaveLength(24);
    // Output below the view pushes lines into the history: the view stays on the same lines.
    await type('w-scroll', `echo more-$((2*4))`);
    const kept = await log.next((s) => s.history > back.history, 'a longer history');
    expect(kept.scroll).toBe(50 + kept.history - back.history);
    expect(kept.lines[row]).toBe('n150');
    handle.scrollTo(1_000_000);
    const top = await log.next((s) => s.scroll === s.history, 'the top of the history');
    expect(top.history).toBeGreaterThan(0);
    handle.scrollTo(0);
    const again = await log.next((s) => s.scroll === 0, 'the live screen again');
    expect(again.lines.some((l) => l.includes('more-8'))).toBe(true);
  });

  it('keeps up with a flood, and never slows the producer much', async () => {
    await shell('w-base');
    const flood = (signal: string) =>
      `yes flood-line-of-text | head -c 20000000; printf 'done-%s\\n' $((2+3)); tmux wait-for -S ${signal}`;
    let start = Date.now();
    await type('w-base', flood('base'));
    await server.tmux('wait-for', 'base');
    const alone = Date.now() - start;

    const { id } = await shell('w-flood');
    const reasons: CaptureReason[] = [];
    const { log } = watch(source({ onCapture: (reason) => reasons.push(reason) }), id);
    await log.next(() => true, 'the first screen');
    start = Date.now();
    await type('w-flood', flood('watched'));
    await server.tmux('wait-for', 'watched');
    const watched = Date.now() - start;
    await log.next((s) => s.lines.some((l) => l.endsWith('done-5')), 'the final marker', 30_000);
    // Generous: a shared CI machine is noisy. (A client that merely reads all the output made
    // tmux take twice as long; this watcher pauses the output it does not need.)
    expect(watched).toBeLessThan(alone * 3 + 3000);
    expect(reasons.filter((r) => r === 'output').length).toBeGreaterThan(1);
    console.log(
      `flood of 20 MB: ${alone} ms alone, ${watched} ms watched; ${reasons.length} captures`,
    );
  });

  it('is not fooled by a pane line that reads like the end of an answer', async () => {
    const { id } = await shell('w-guard');
    const { log } = watch(source(), id);
    await log.next(() => true, 'the first screen');
    await type('w-guard', `printf '%%end %s 1 1\\n%%error 5 5 1\\n' $((1000+1))`);
    const screen = await log.showing('%end 1001 1 1');
    expect(screen.lines).toHaveLength(24);
    expect(screen.lines).toContain('%error 5 5 1');
    await type('w-guard', `echo after-$((9*9))`);
    expect((await log.showing('after-81')).lines).toHaveLength(24);
  });

  it('continues a pane tmux paused for it, and reads what it missed', async () => {
    const { id, pane } = await shell('w-pause');
    const reasons: CaptureReason[] = [];
    const { log } = watch(source({ onCapture: (reason) => reasons.push(reason) }), id);
    await log.next(() => true, 'the first screen');
    const [client] = await eventually(controlClients, (c) => c.length === 1, 'the control client');
    // What pause-after does when we fall behind: tmux stops sending us the pane's output.
    await server.tmux('refresh-client', '-t', client as string, '-A', `${pane}:pause`);
    await type('w-pause', `printf 'after-pause-%s\\n' $((4*4))`);
    await log.showing('after-pause-16');
    expect(reasons).toContain('continue');
  });

  it.each([
    ['detach-on-destroy on', 'on'],
    ['detach-on-destroy off (the client is moved to another session)', 'off'],
  ])('ends when the session is killed: %s', async (_name, detach) => {
    await shell('w-keeper');
    const { id } = await shell('w-end');
    await server.tmux('set-option', '-g', 'detach-on-destroy', detach);
    const { log } = watch(source(), id);
    await log.next(() => true, 'the first screen');
    await server.tmux('kill-session', '-t', '=w-end');
    expect(await log.end()).toMatch(/ended/);
    await eventually(controlClients, (c) => c.length === 0, 'the control client gone');
  });

  it('ends at once for a runtime that is not there, or whose session id was reused', async () => {
    const { id } = await shell('w-none');
    const stale = id.replace(/_[0-9a-z]+$/, '_1');
    const live = source();
    for (const missing of ['rt_999_abc', stale]) {
      const { log } = watch(live, missing);
      expect(await log.end()).toMatch(/runtime|can't find|session/);
      expect(log.screens).toHaveLength(0);
    }
  });

  it('stop() closes its control connection', async () => {
    const { id } = await shell('w-stop');
    const { log, watch: handle } = watch(source(), id);
    await log.next(() => true, 'the first screen');
    expect(await controlClients()).toHaveLength(1);
    handle.stop();
    await eventually(controlClients, (c) => c.length === 0, 'no control client');
    expect(log.endedWith).toBeNull();
  });
});

describe('the control-mode protocol', () => {
  it('quotes a pane action, which tmux would read as a directive bare', () => {
    expect(commandLine(['refresh-client', '-A', '%3:continue'])).toBe(
      "refresh-client -A '%3:continue'",
    );
    expect(commandLine(['capture-pane', '-t', '%3', '-S', '-50'])).toBe(
      'capture-pane -t %3 -S -50',
    );
  });

  it('splits bytes into lines across chunks, without a trailing CR', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line.toString('latin1')));
    for (const chunk of ['%out', 'put %1 a\\015\r\n%beg', 'in 1 2 1\n\nrest']) {
      splitter.push(Buffer.from(chunk, 'latin1'));
    }
    expect(lines).toEqual(['%output %1 a\\015', '%begin 1 2 1', '']);
  });

  it('reads only a whole guard line as a guard', () => {
    expect(parseGuard('%end 1700000000 12 1')).toEqual({ kind: 'end', key: '1700000000 12' });
    expect(parseGuard('%end 1700000000 12 1 and more')).toBeNull();
    expect(parseGuard('%end')).toBeNull();
  });
});

describe('LocalLiveSource.output', () => {
  it("streams the pane's raw bytes, and ends with the session", async () => {
    await shell('o-keeper');
    const { id } = await shell('o-raw');
    const chunks: Buffer[] = [];
    let ended: string | null = null;
    const stop = source().output(id, {
      data: (bytes) => chunks.push(bytes),
      ended: (reason) => {
        ended = reason;
      },
    });
    stops.push(stop);
    await eventually(controlClients, (c) => c.length === 1, 'the output client');
    await type('o-raw', `printf '\\033[32mraw-%s\\033[0m\\n' $((3*3))`);
    await eventually(
      () => Buffer.concat(chunks).toString('utf8'),
      (text) => text.includes('\x1b[32mraw-9'),
      'the raw bytes, escapes and all',
    );
    await server.tmux('kill-session', '-t', '=o-raw');
    await eventually(
      () => ended,
      (reason) => reason !== null,
      'the end',
    );
  });
});
