import type {
  Profile,
  Runtime,
  RuntimeInput,
  RuntimeListener,
  RuntimeState,
} from '../../domain/index.js';
import {
  type DetectorMemory,
  detectorFor,
  EMPTY_MEMORY,
  mapToRuntimeState,
} from './detectors/index.js';
import { FIELD_SEPARATOR, rowFields, textField, textValue } from './format-fields.js';
import { lookAt, readInput } from './input-check.js';
import { type PaneRow, runtimeId, runtimeOf } from './runtime-rows.js';
import type { TmuxWatcher } from './tmux-watcher.js';

/** Longer than any detector's idle debounce (1.5 s). */
const SETTLE_AFTER_MS = 3000;
// The hook's state is the pane's own text: escaped, and not last (a line reader drops a final `\r`).
const PROBE_FORMAT = [
  '#{pane_id}',
  '#{window_activity}',
  textField('@agent_state'),
  '#{pane_dead}',
].join(FIELD_SEPARATOR);

export type MonitorListener = RuntimeListener;

interface PaneMemory {
  /**
   * The wall-clock second of the last screen read. tmux keeps output times to the second, so
   * output in that same second may have come after the read: only output older than it is seen.
   */
  readSecond: number;
  hookState: string;
  command: string;
  dead: boolean;
  memory: DetectorMemory;
  state: RuntimeState;
  input: RuntimeInput;
}

/**
 * Watches this machine's runtimes: the session list on tmux's notifications (a new session is
 * seen at once, without polling), and each agent's state through its detector. States are swept
 * once a sweep interval with one `list-panes -a` over the control connection; a pane's screen is
 * read only when its activity time moved or its detector is still settling, so idle sessions
 * cost nothing but their row in that one call.
 */
export class LocalMonitor {
  private readonly panes = new Map<string, PaneMemory>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly watcher: TmuxWatcher,
    private readonly profiles: Record<string, Profile>,
    private readonly listener: MonitorListener,
    private readonly sweepMs = 1000,
  ) {}

  start(): void {
    this.stopped = false;
    this.watcher.on('changed', this.onChanged);
    this.watcher.on('down', this.onDown);
    this.watcher.start();
    this.timer = setInterval(() => void this.probe(), this.sweepMs);
    this.timer.unref?.();
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher.off('changed', this.onChanged);
    this.watcher.off('down', this.onDown);
    this.watcher.stop();
  }

  private stopped = false;

  private readonly onChanged = () => void this.refresh();

  /**
   * The control connection ended. That is the server going away, or only the session it was
   * attached to closing: a list (by process while there is no connection) tells which, and so
   * the other runtimes never blink gone. With no server the list is empty.
   */
  private readonly onDown = () => void this.refresh();

  /**
   * The once-a-sweep look: four short fields a pane. Only when a pane's output, hook or life
   * moved, or a detector is still settling, does a full refresh (and a screen read) follow.
   */
  private async probe(): Promise<void> {
    if (this.refreshing) return;
    // No control connection (tmux older than 3.2, or reconnecting): poll the list instead, but
    // only while a server may be there at all.
    if (!this.watcher.connected) {
      if (this.watcher.serverMaybeUp) await this.refresh();
      return;
    }
    try {
      const lines = await this.watcher.command(['list-panes', '-a', '-F', PROBE_FORMAT]);
      const now = Date.now();
      const unsettled = [...this.panes.values()].some((p) => !isSettled(p, now));
      const moved = lines.some((line) => {
        const [pane = '', activity = '', hook = '', dead = ''] = rowFields(line, 4) ?? [];
        const known = this.panes.get(pane);
        if (!known) return false;
        return (
          Number(activity) >= known.readSecond ||
          known.dead !== (dead === '1') ||
          known.hookState !== textValue(hook)
        );
      });
      if (unsettled || moved) await this.refresh();
    } catch {
      // The server went away; the watcher says so.
    }
  }

  /** One refresh at a time; a change during one asks for another right after. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.again = false;
          await this.sweep();
        } while (this.again);
      } catch {
        // The server went away mid-sweep; the watcher says so and reconnects.
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async sweep(): Promise<void> {
    const rows = await this.watcher.listRows();
    const seen = new Set<string>();
    const runtimes: Runtime[] = [];
    for (const row of rows) {
      // A sweep under way when the control room closes ends here, not after a look at each pane.
      if (this.stopped) return;
      seen.add(row.paneId);
      const { state, input } = await this.stateOf(row);
      runtimes.push(runtimeOf(row, state, input));
    }
    for (const pane of [...this.panes.keys()]) if (!seen.has(pane)) this.panes.delete(pane);
    this.listener.runtimes(runtimes);
  }

  private async stateOf(row: PaneRow): Promise<{ state: RuntimeState; input: RuntimeInput }> {
    const known = this.panes.get(row.paneId);
    // Busy and starting are still moving (an idle debounce is running); the rest hold until the
    // pane's output, hook or command moves.
    const settled = known && isSettled(known, Date.now());
    const unchanged =
      known &&
      row.outputActivity < known.readSecond &&
      known.hookState === row.hookState &&
      known.command === row.currentCommand &&
      known.dead === row.paneDead;
    if (known && unchanged && settled) return known;
    const readSecond = Math.floor(Date.now() / 1000);
    const look = await lookAt((args) => this.watcher.command(args), row.paneId);
    const profile = row.profile ? this.profiles[row.profile] : undefined;
    const detector = detectorFor(profile?.detector ?? row.profile ?? null);
    const result = detector.detect(
      {
        hookState: row.hookState,
        screen: look.plain,
        currentCommand: row.currentCommand,
        dead: row.paneDead,
        at: Date.now(),
      },
      known?.memory ?? EMPTY_MEMORY,
    );
    const state = mapToRuntimeState(result.state, 'unknown');
    const { input } = readInput(detector, look);
    this.panes.set(row.paneId, {
      readSecond,
      hookState: row.hookState,
      command: row.currentCommand,
      dead: row.paneDead,
      memory: result.memory,
      state,
      input,
    });
    if (known && known.state !== state) this.listener.stateChanged(runtimeId(row), state);
    return { state, input };
  }
}

/**
 * Whether a pane's state can only change with new output, a hook or its process: busy and
 * starting are waiting on the idle debounce, and `unknown` may still resolve until the screen
 * has been still for longer than that debounce (an unknown program stays unknown after it).
 */
function isSettled(pane: PaneMemory, now: number): boolean {
  if (pane.state === 'busy' || pane.state === 'starting') return false;
  if (pane.state !== 'unknown') return true;
  const since = pane.memory.unchangedSince;
  return since !== null && now - since > SETTLE_AFTER_MS;
}
