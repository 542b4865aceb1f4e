// TUI figures in process, with 100,000 tickets: key press to updated frame, and bytes written
// per frame. <App/> renders through Ink's render(), with the options of
// src/ui/run.tsx, onto a fake terminal: a Writable that says it is a 120×40 TTY and records each
// write's time and bytes, and a fake keyboard (a PassThrough that says it is a TTY). Each `j` is
// written to the keyboard once the screen has been still for PAUSE_MS (past Ink's 34 ms render
// throttle, so a press is drawn at once, as an operator's single presses are); the latency is
// from that write to the write that ends the next frame (Ink's ESC[?2026l). No terminal draws
// anything, so this is the control room's and Ink's part only. The baseline is the same presses
// over 1,000 tickets; a 200×50 terminal (the split view) is measured too, and the bytes of a
// frame with Ink's incrementalRendering off (on in run.tsx). Run by bench/tui.mjs, bundled as
// dist/ is (its Ink patches, React's production build); prints one JSON array.
import { PassThrough, Writable } from 'node:stream';
import { render } from 'ink';
import type { Severity, Ticket, TicketState } from '../src/domain/index.js';
import { createAppStore, stateWithTickets } from '../src/store/index.js';
import { App } from '../src/ui/App.js';
import { SELECTED_MARK } from '../src/ui/components/ticket-columns.js';
import { NO_SERVICES, ServicesProvider } from '../src/ui/services-context.js';
import { Providers } from '../src/ui/store-context.js';
import { loadTheme, type Theme } from '../src/ui/theme/theme.js';

const TICKETS = Number(process.env.CR_BENCH_TUI_TICKETS ?? 100_000);
const PRESSES = Number(process.env.CR_BENCH_TUI_PRESSES ?? 200);
const PAUSE_MS = 40;
const ESU = '\u001b[?2026l';
const SGR_AND_MOVES = /\u001b\[[0-9;?:]*[A-Za-z]/g;
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const STATES: TicketState[] = ['todo', 'todo', 'todo', 'in_progress', 'needs_input', 'review'];

type Figure = {
  name: string;
  value: string;
  ratio?: number;
  baselineName?: string;
  target?: string;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const bytes = (n: number) => `${n.toLocaleString('en')} B`;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

function tickets(count: number): Ticket[] {
  const start = Date.parse('2026-11-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(start + i * 20_000).toISOString();
    return {
      key: `BENCH-${i + 1}`,
      title: `Finding ${i + 1}: the parser drops the last line of a file without a newline`,
      severity: SEVERITIES[i % SEVERITIES.length] as Severity,
      state: STATES[i % STATES.length] as TicketState,
      owner: i % 3 === 0 ? 'dana' : null,
      location: `src/module_${i % 997}.ts:${i % 4000}`,
      flaggedBy: 'codex',
      sourceHash: i.toString(16).padStart(12, '0'),
      body: `The code path ${i} does something the reviewer flagged; it spans\ntwo lines of text, as real findings do.`,
      suggestedFix: 'Do the thing the reviewer suggests, and add a regression test.',
      runtime: null,
      lastError: null,
      messages: [],
      events: [],
      createdAt: at,
      updatedAt: at,
    };
  });
}

/** Only private mode switches (`ESC[?2004h` and the like). */
const TERMINAL_MODES = /^(?:\x1b\[\?[0-9;]*[hl])+$/;

/** A frame as the terminal got it: when its last write landed, and all its bytes. */
interface Frame {
  at: number;
  bytes: number;
  text: string;
}

/** Stdout of a TTY of a given size that records what is written, frame by frame. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  private current: { bytes: number; text: string } | null = null;
  private waiting: ((frame: Frame) => void) | null = null;
  readonly frames: Frame[] = [];

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    const at = performance.now();
    const text = chunk.toString('utf8');
    // A mode switch outside a frame (bracketed paste on and off, written once by the key reader)
    // is not a frame, and must not hold the next one open.
    if (this.current === null && TERMINAL_MODES.test(text)) {
      done();
      return;
    }
    this.current ??= { bytes: 0, text: '' };
    this.current.bytes += chunk.length;
    this.current.text += text;
    if (text.includes(ESU)) {
      const frame = { at, ...this.current };
      this.current = null;
      this.frames.push(frame);
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.(frame);
    }
    done();
  }

  nextFrame(limitMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame in ${limitMs} ms`)), limitMs);
      this.waiting = (frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
    });
  }

  /** Waits until nothing has been written for `ms`. */
  async still(ms: number): Promise<void> {
    for (;;) {
      const count = this.frames.length;
      await sleep(ms);
      if (this.frames.length === count && this.current === null) return;
    }
  }
}

/** Stdin of a TTY; what is written to it is what the operator typed. */
class FakeKeyboard extends PassThrough {
  readonly isTTY = true;
  setRawMode(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

function open(list: readonly Ticket[], theme: Theme, size: [number, number], incremental = true) {
  const terminal = new FakeTerminal(...size);
  /** Ink's own measure of each frame's output pass (layout done, the frame's text built). */
  const inkTimes: number[] = [];
  const keyboard = new FakeKeyboard();
  const store = createAppStore(stateWithTickets(list));
  // As src/ui/run.tsx renders it (without the background's services).
  const app = (
    <Providers store={store} theme={theme}>
      <ServicesProvider services={NO_SERVICES}>
        <App />
      </ServicesProvider>
    </Providers>
  );
  const instance = render(app, {
    stdout: terminal as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    stderr: new FakeTerminal(...size) as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    incrementalRendering: incremental,
    maxFps: 30,
    patchConsole: false,
    onRender: ({ renderTime }) => {
      inkTimes.push(renderTime);
    },
  });
  return { terminal, keyboard, instance, inkTimes };
}

/** Presses `key` once the screen is still; resolves with the latency and the frame drawn. */
async function press(screen: ReturnType<typeof open>, key: string) {
  await screen.terminal.still(PAUSE_MS);
  const next = screen.terminal.nextFrame();
  const t = performance.now();
  screen.keyboard.write(key);
  const frame = await next;
  return { ms: frame.at - t, frame };
}

/** The key on the row with the selection mark, from a frame's text. */
function selectedKey(frame: Frame): string | undefined {
  const plain = frame.text.replace(SGR_AND_MOVES, '');
  for (const line of plain.split('\n')) {
    if (line.startsWith(SELECTED_MARK)) return line.slice(SELECTED_MARK.length).split(' ')[0];
  }
  return undefined;
}

async function latency(
  list: readonly Ticket[],
  theme: Theme,
  size: [number, number],
  presses: number,
) {
  const screen = open(list, theme, size);
  try {
    const first = screen.terminal.frames[0] ?? (await screen.terminal.nextFrame());
    const times: number[] = [];
    const frameBytes: number[] = [];
    let last: Frame | undefined;
    const before = screen.inkTimes.length;
    for (let i = 0; i < presses; i += 1) {
      const { ms, frame } = await press(screen, 'j');
      times.push(ms);
      frameBytes.push(frame.bytes);
      last = frame;
    }
    const want = list[presses]?.key;
    const got = last ? selectedKey(last) : undefined;
    if (got !== want) throw new Error(`after ${presses} presses ${got} is selected, not ${want}`);
    return { times, first, oneRow: frameBytes[0] as number, ink: screen.inkTimes.slice(before) };
  } finally {
    screen.instance.unmount();
  }
}

async function fullFrameBytes(list: readonly Ticket[], theme: Theme, size: [number, number]) {
  const screen = open(list, theme, size, false);
  try {
    const first = screen.terminal.frames[0] ?? (await screen.terminal.nextFrame());
    const { frame } = await press(screen, 'j');
    return { first: first.bytes, oneRow: frame.bytes };
  } finally {
    screen.instance.unmount();
  }
}

const figures: Figure[] = [];
try {
  const { theme } = await loadTheme('dark', [process.env.CR_BENCH_THEMES ?? 'themes/'], false);
  const list = tickets(TICKETS);
  const n = TICKETS.toLocaleString('en');
  const size: [number, number] = [120, 40];
  // A short warm-up (JIT), not counted; then the same presses over 1,000 tickets, the baseline.
  await latency(list.slice(0, 1000), theme, size, 20);
  const small = await latency(list.slice(0, 1000), theme, size, Math.ceil(PRESSES / 2));
  const { times, first, oneRow, ink } = await latency(list, theme, size, PRESSES);
  const p95 = percentile(times, 95);
  figures.push({
    name: `TUI key press to frame, ${n} tickets, 120×40 (${PRESSES} j)`,
    value: `p95 ${fmt(p95)}, p50 ${fmt(percentile(times, 50))}, max ${fmt(Math.max(...times))}; Ink's output pass p50 ${fmt(percentile(ink, 50))} (in process, fake TTY)`,
    ratio: p95 / percentile(small.times, 95),
    baselineName: `p95 over 1,000 tickets = ${fmt(percentile(small.times, 95))}, p50 ${fmt(percentile(small.times, 50))}`,
    target: 'p95 ≤ 16 ms',
  });
  figures.push({
    name: 'TUI bytes for one j (selection moves a row)',
    value: `${bytes(oneRow)} (full frame ${bytes(first.bytes)})`,
    ratio: oneRow / first.bytes,
    baselineName: 'of the first full frame',
  });
  const full = await fullFrameBytes(list, theme, size);
  figures.push({
    name: '  the same with incrementalRendering off',
    value: `${bytes(full.oneRow)} (full frame ${bytes(full.first)}; on in run.tsx)`,
    ratio: full.oneRow / full.first,
    baselineName: 'of the first full frame',
  });
  const widePresses = Math.ceil(PRESSES / 3);
  const wide = await latency(list, theme, [200, 50], widePresses);
  figures.push({
    name: `TUI key press to frame, ${n} tickets, 200×50 split (${widePresses} j)`,
    value: `p95 ${fmt(percentile(wide.times, 95))}, p50 ${fmt(percentile(wide.times, 50))}; Ink's output pass p50 ${fmt(percentile(wide.ink, 50))}; ${bytes(wide.oneRow)} a frame`,
    target: 'p95 ≤ 16 ms',
  });
} catch (error) {
  figures.push({ name: 'TUI key press figures', value: `failed: ${(error as Error).message}` });
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
