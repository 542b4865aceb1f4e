import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type InputAction,
  type InputOutcome,
  isoNow,
  type Profile,
  ProgramNotInstalled,
  type Runtime,
  type RuntimeDriver,
  type RuntimeSpec,
  type RuntimeState,
  type Screen,
  type SendError,
  SendFailure,
  type SendOptions,
  type SendReceipt,
  sanitize,
} from '../../domain/index.js';
import { actOnInput } from './input-actions.js';
import { detectorOf, lookAt, readInput, refuseLeftInput } from './input-check.js';
import { observeState } from './observe.js';
import type { OwnPanes } from './own-panes.js';
import { type Earlier, PaneSent } from './pane-sent.js';
import { loadBuffer, pasteBuffer, sanitizeForPaste } from './paste.js';
import { findProgram, programOf, sessionPath, startFolder } from './program-path.js';
import { type PaneRow, parseRuntimeId, runtimeOf } from './runtime-rows.js';
import { classifyTmuxFailure } from './send-failure.js';
import { SendGuard } from './send-guard.js';
import { ServerLeases } from './send-lease.js';
import { type KeyRecord, SentKeys } from './sent-keys.js';
import { newSessionArgs } from './tmux-args.js';
import { type TmuxClient, TmuxError, target } from './tmux-client.js';
import { TmuxWatcher } from './tmux-watcher.js';
import {
  type ClosedRuntime,
  releaseWorktree,
  worktreeOf,
  worktreeOptions,
  worktreeQuery,
} from './worktree.js';

/** A prompt is at most this many bytes of UTF-8 (`runtime-api.md`). */
export const MAX_SEND_BYTES = 262_144;
/** Agents need the paste to settle before Enter, or they take Enter as part of the paste. */
const ENTER_DELAY_MS = 150;
const CONFIRM_POLL_MS = 40;
const SECOND_LOOK_MS = 120;
/** A clear can take many rounds of keys on a tall draft (input-actions.ts). */
const INPUT_LEASE_MS = 60_000;

export interface LocalDriverOptions {
  tmux: TmuxClient;
  /** A connected watcher makes every read one control-mode command instead of a process. */
  watcher?: TmuxWatcher | undefined;
  profiles: Record<string, Profile>;
  host?: string;
  /** Where a runtime starts without a folder or worktree (the config's `runtimeFolder`). */
  defaultCwd?: string | undefined;
  /** Pause between the paste and Enter (default 150 ms); agents need it, a bench may not. */
  enterDelayMs?: number;
  /** Where the control room runs (`$TMUX`, `$TMUX_PANE`): its own pane is never a target. */
  env?: NodeJS.ProcessEnv;
}

/** Typing literally (send-keys -l) fails past ~16 KB; a line typed by hand is far shorter. */
const MAX_TYPED_BYTES = 4096;

/** The runtimes of this machine's tmux server. */
export class LocalTmuxDriver implements RuntimeDriver {
  readonly host: string;
  private readonly tmux: TmuxClient;
  private readonly watcher: TmuxWatcher;
  private readonly profiles: Record<string, Profile>;
  private readonly enterDelayMs: number;
  private readonly defaultCwd: string | undefined;
  private readonly keys = new SentKeys();
  private readonly sent: PaneSent;
  private readonly guard: SendGuard;
  private readonly env: NodeJS.ProcessEnv;
  private readonly leases: ServerLeases;

  constructor(options: LocalDriverOptions) {
    this.enterDelayMs = options.enterDelayMs ?? ENTER_DELAY_MS;
    this.tmux = options.tmux;
    this.watcher = options.watcher ?? new TmuxWatcher(options.tmux);
    this.profiles = options.profiles;
    this.host = options.host ?? 'local';
    this.defaultCwd = options.defaultCwd;
    this.env = options.env ?? process.env;
    this.guard = new SendGuard(options.tmux, this.env, (args) => this.command(args));
    this.sent = new PaneSent((args) => this.command(args));
    this.leases = new ServerLeases((args) => this.command(args));
  }

  /** The control room's own panes and runtimes on this server, never offered as targets. */
  ownPanes(): Promise<OwnPanes> {
    return this.guard.ownPanes();
  }

  /** Without a connected watcher, an unstarted one reads the same rows through processes. */
  async rows(): Promise<PaneRow[]> {
    return this.watcher.listRows();
  }

  /** Every session, its state read off the screen now (`unknown` rather than a guess). */
  async list(): Promise<Runtime[]> {
    const rows = await this.rows();
    const listed = await Promise.all(
      rows.map(async (row) => {
        try {
          return await this.runtimeNow(row);
        } catch (error) {
          // Closed between the list and the look at its screen: gone, not a failed list.
          if (error instanceof TmuxError && error.problem === 'not_found') return null;
          throw error;
        }
      }),
    );
    return listed.filter((runtime) => runtime !== null);
  }

  /** The runtime as one look at its screen shows it: its state, and its input line. */
  private async runtimeNow(row: PaneRow): Promise<Runtime> {
    const look = await lookAt((args) => this.command(args), row.paneId);
    const profile = this.profileOf(row);
    const { input } = readInput(detectorOf(row, profile), look);
    return runtimeOf(row, observeState(row, look.plain, profile), input);
  }

  /** The operator's word on text left in the input line: submit it, or clear it. */
  async input(id: string, action: InputAction): Promise<InputOutcome> {
    try {
      const row = await this.rowOf(id).catch(() => this.fail('not_found', `no runtime ${id}`));
      // A submit is an Enter and a clear edits the line: neither may land in a send's paste.
      const release = await this.holdRuntime(id, INPUT_LEASE_MS);
      const done = await actOnInput(
        {
          command: (args) => this.command(args),
          host: this.host,
          row,
          detector: detectorOf(row, this.profileOf(row)),
          state: () => this.stateBeforeSend(row),
        },
        action,
      ).finally(release);
      const cleared = done.keyWasLast && action.action === 'clear';
      if (cleared && action.idempotencyKey) this.keys.forget(action.idempotencyKey);
      const after = (await this.rows()).find((r) => r.sessionId === row.sessionId) ?? row;
      return { ...done, runtime: await this.runtimeNow(after) };
    } catch (error) {
      if (error instanceof SendFailure) throw error;
      throw new SendFailure(classifyTmuxFailure(error, false, this.host));
    }
  }

  async create(spec: RuntimeSpec): Promise<Runtime> {
    const profile = this.profiles[spec.profile];
    if (!profile) {
      throw new TmuxError(
        'failed',
        `unknown profile "${spec.profile}"; known: ${Object.keys(this.profiles).join(', ')}`,
      );
    }
    // Before anything starts: a missing program would start a session that ends at once.
    const from = spec.cwd ?? spec.worktree?.repo ?? this.defaultCwd ?? process.cwd();
    const folder = spec.worktree ? null : startFolder(from);
    if (!findProgram(programOf(profile), sessionPath(this.env), from)) {
      throw new ProgramNotInstalled(programOf(profile), profile.name);
    }
    const worktree = await worktreeOf(spec);
    const cwd = worktree?.folder ?? folder ?? from;
    const name =
      spec.name ?? (await this.freeName(spec.ticket ? `cr-${spec.ticket}` : `cr-${profile.name}`));
    const size = spec.size ?? { columns: 200, rows: 50 };
    const sessionId = await this.tmux.run(
      newSessionArgs({ name, cwd, ...size, env: profile.env, command: profile.command }),
    );
    const options: [string, string][] = [
      ['@cr_profile', profile.name],
      ['@cr_created', isoNow()],
      ...(spec.ticket ? ([['@cr_ticket', spec.ticket]] as [string, string][]) : []),
      ...worktreeOptions(worktree),
    ];
    for (const [option, value] of options) {
      await this.tmux.run(['set-option', '-t', sessionId, option, value]);
    }
    // Keep an agent that ended on screen (as exited), instead of its session vanishing.
    await this.tmux.run(['set-option', '-w', '-t', sessionId, 'remain-on-exit', 'on']);
    const row = (await this.rows()).find((r) => r.sessionId === sessionId);
    if (!row) throw new TmuxError('not_found', `the session ${name} ended as soon as it started`);
    return runtimeOf(row, 'starting');
  }

  async screen(id: string): Promise<Screen> {
    const row = await this.rowOf(id);
    const lines = await this.capture(row.paneId);
    const format = '#{cursor_x} #{cursor_y} #{pane_width} #{pane_height}';
    const [line = ''] = await this.command(['display-message', '-p', '-t', row.paneId, format]);
    const [x = 0, y = 0, cols = 0, rows = 0] = line.split(' ').map(Number);
    return { cols, rows, lines, cursor: { x, y } };
  }

  async close(id: string): Promise<void> {
    await this.closeAndRelease(id);
  }

  /** Ends the session; a worktree made for it is released (removed unless it has changes). */
  async closeAndRelease(id: string): Promise<ClosedRuntime> {
    const row = await this.rowOf(id);
    const folder = await this.command(worktreeQuery(row.sessionId)).then(
      ([line = '']) => line,
      () => '',
    );
    await this.tmux.run(['kill-session', '-t', row.sessionId]);
    return { worktree: folder === '' ? null : await releaseWorktree(folder) };
  }

  /**
   * Types the text into the agent exactly as written: pasted from a tmux buffer (never as key
   * names), submitted with one Enter after the whole paste, and confirmed. Busy → `busy` and
   * nothing typed; the rest per `runtime-api.md`.
   */
  async send(id: string, text: string, options: SendOptions): Promise<SendReceipt> {
    const seen = this.keys.get(options.idempotencyKey);
    if (seen?.receipt) return seen.receipt;
    if (seen?.typed) return this.confirmEarlier(id, seen, options.idempotencyKey);
    // Held from the state check to the confirmed submit: a second sender, in this process or
    // another, finds the runtime busy instead of pasting into a prompt half typed.
    const release = await this.holdRuntime(id, options.timeoutMs ?? 15_000);
    try {
      const record = this.keys.start(options.idempotencyKey);
      // Another process (one that died mid-send) may have typed this very message.
      const earlier = await this.typedBefore(id, text, options);
      if (earlier?.kind === 'key') {
        record.typed = true;
        return await this.confirmEarlier(id, record, options.idempotencyKey);
      }
      if (earlier) {
        this.fail(
          'post_send',
          `${options.idempotencyKey} may have reached ${id} before: ${earlier.reason}; it is not typed again`,
        );
      }
      const receipt = await this.sendOnce(id, text, options, record);
      record.receipt = receipt;
      return receipt;
    } finally {
      release();
    }
  }

  /** The runtime's send lease (`send-lease.ts`), or `busy` while another sender holds it. */
  private async holdRuntime(id: string, timeoutMs: number): Promise<() => void> {
    const attempt = await this.leases.acquire(id, timeoutMs).catch((error: unknown) => {
      throw new SendFailure(classifyTmuxFailure(error, false, this.host));
    });
    if (!attempt.ok) {
      const by = attempt.holder ? ` (process ${attempt.holder.pid})` : '';
      this.fail('busy', `another prompt is being sent to ${id} right now${by}; nothing was typed`);
    }
    return attempt.release;
  }

  /**
   * A retry of a send that typed its text already (its outcome was unknown): nothing is typed
   * again. If the agent has taken the text up since, the send is delivered after all.
   */
  private async confirmEarlier(id: string, record: KeyRecord, key: string): Promise<SendReceipt> {
    try {
      const row = await this.rowOf(id).catch(() => this.fail('not_found', `no runtime ${id}`));
      const state = await this.stateOf(row);
      if (state === 'busy' || state === 'needs_input') {
        record.receipt = {
          messageId: `msg_${randomUUID()}`,
          deliveredAt: isoNow(),
          runtime: runtimeOf(row, state),
        };
        return record.receipt;
      }
      this.fail(
        'post_send',
        `the text of ${key} was typed into ${row.sessionName} before, and the agent is ${state} now: it may have done it already, or not taken it up; it is not typed again`,
      );
    } catch (error) {
      if (error instanceof SendFailure) throw error;
      throw new SendFailure(classifyTmuxFailure(error, true, this.host));
    }
  }

  /** What the pane remembers (`pane-sent.ts`); nothing when the runtime cannot be read. */
  private async typedBefore(
    id: string,
    text: string,
    options: SendOptions,
  ): Promise<Earlier | null> {
    const row = await this.rowOf(id).catch(() => null);
    if (row === null) return null;
    const resend = options.resend === true ? sanitizeForPaste(text) : null;
    try {
      return await this.sent.earlier(row.paneId, options.idempotencyKey, resend);
    } catch (error) {
      throw new SendFailure(classifyTmuxFailure(error, false, this.host));
    }
  }

  /**
   * Types a line into a runtime whatever it is doing (insert mode: the operator answering the
   * agent's question), key by key as the operator would (`send-keys -l`: literal, never key
   * names), then Enter. Not a paste: an agent asking `(y/n)` takes a typed key and may keep a
   * paste as input. No state check and no confirmation: the operator is looking at the screen.
   */
  async typeLine(id: string, text: string): Promise<void> {
    const clean = sanitizeForPaste(text).replace(/\n/g, ' ');
    const bytes = Buffer.byteLength(clean);
    if (bytes === 0 || bytes > MAX_TYPED_BYTES) {
      this.fail('invalid', `the line is ${bytes} bytes; a typed line is 1 to ${MAX_TYPED_BYTES}`);
    }
    const row = await this.rowOf(id).catch(() => this.fail('not_found', `no runtime ${id}`));
    if (row.paneDead) this.fail('not_found', `the agent in ${row.sessionName} has exited`);
    try {
      await this.command(['send-keys', '-t', target.pane(row.paneId), '-l', '--', clean]);
      await sleep(this.enterDelayMs);
      await this.command(['send-keys', '-t', target.pane(row.paneId), 'Enter']);
    } catch (error) {
      if (error instanceof SendFailure) throw error;
      throw new SendFailure(classifyTmuxFailure(error, true, this.host));
    }
  }

  private async sendOnce(
    id: string,
    text: string,
    options: SendOptions,
    record: KeyRecord,
  ): Promise<SendReceipt> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    const clean = sanitizeForPaste(text);
    const bytes = Buffer.byteLength(clean);
    if (bytes === 0 || bytes > MAX_SEND_BYTES) {
      this.fail('invalid', `the text is ${bytes} bytes; a prompt is 1 to ${MAX_SEND_BYTES}`);
    }
    let typed = false;
    try {
      const row = await this.rowOf(id).catch(() => this.fail('not_found', `no runtime ${id}`));
      if (row.paneDead) this.fail('not_found', `the agent in ${row.sessionName} has exited`);
      const refusal = await this.guard.refusal(row);
      if (refusal !== null) this.fail('invalid', refusal);
      let before = await this.stateBeforeSend(row);
      // No pattern either way: look once more, a moment later, before typing. A working agent
      // shows its busy line continually; one that shows nothing twice is taken as listening.
      if (before === 'unknown') {
        await sleep(SECOND_LOOK_MS);
        before = await this.stateBeforeSend(row);
      }
      if (before === 'busy' || before === 'needs_input') {
        this.fail(
          'busy',
          `${row.sessionName} is ${before === 'busy' ? 'working' : 'waiting for an answer'}`,
        );
      }
      await refuseLeftInput((args) => this.command(args), row, this.profileOf(row), this.host);
      const buffer = await loadBuffer(this.tmux, clean);
      // From here the text may reach the pane: an error is an unknown outcome, not a refusal.
      typed = true;
      record.typed = true;
      await pasteBuffer(this.tmux, (args) => this.command(args), row.paneId, buffer);
      await this.sent.remember(row.paneId, options.idempotencyKey, clean);
      if (options.submit !== false) {
        await sleep(this.enterDelayMs);
        const pasted = await this.capture(row.paneId);
        await this.command(['send-keys', '-t', target.pane(row.paneId), 'Enter']);
        await this.confirm(row, pasted, deadline);
      }
      const after = (await this.rows()).find((r) => r.sessionId === row.sessionId) ?? row;
      return {
        messageId: `msg_${randomUUID()}`,
        deliveredAt: isoNow(),
        runtime: runtimeOf(after, options.submit === false ? 'idle' : 'busy'),
      };
    } catch (error) {
      if (error instanceof SendFailure) throw error;
      throw new SendFailure(classifyTmuxFailure(error, typed, this.host));
    }
  }

  /** Submitted when the agent turns busy, or its screen moves on from the pasted text. */
  private async confirm(row: PaneRow, pasted: string[], deadline: number): Promise<void> {
    const until = Math.min(deadline, Date.now() + 5000);
    while (Date.now() < until) {
      const screen = await this.capture(row.paneId);
      const state = await observeState(row, screen, this.profileOf(row));
      if (state === 'busy' || state === 'needs_input' || state === 'exited') return;
      if (screen.join('\n') !== pasted.join('\n')) return;
      await sleep(CONFIRM_POLL_MS);
    }
    this.fail(
      'post_send',
      `the text was typed into ${row.sessionName} but the agent did not take it up`,
    );
  }

  /**
   * Before typing, the cautious reading: a working screen wins over a hook's `idle`, which may
   * be the last turn's until the agent's hook has run (tens of ms after a prompt). A false busy
   * only makes the message wait; a false idle would paste into a working agent.
   */
  private async stateBeforeSend(row: PaneRow): Promise<RuntimeState> {
    const screen = await this.capture(row.paneId);
    const profile = this.profileOf(row);
    const observed = observeState(row, screen, profile);
    if (observed !== 'idle' || row.hookState === '') return observed;
    const screenAlone = observeState({ ...row, hookState: '' }, screen, profile);
    return screenAlone === 'busy' || screenAlone === 'needs_input' ? screenAlone : observed;
  }

  private async stateOf(row: PaneRow): Promise<RuntimeState> {
    return observeState(row, await this.capture(row.paneId), this.profileOf(row));
  }

  private profileOf(row: PaneRow): Profile | null {
    return row.profile ? (this.profiles[row.profile] ?? null) : null;
  }

  private async capture(paneId: string): Promise<string[]> {
    const lines = await this.command(['capture-pane', '-p', '-t', target.pane(paneId)]);
    return lines.map((line) => sanitize(line));
  }

  private command(args: readonly string[]): Promise<string[]> {
    return this.watcher.command(args);
  }

  private async rowOf(id: string): Promise<PaneRow> {
    const parsed = parseRuntimeId(id);
    const row = (await this.rows()).find(
      (r) =>
        parsed !== null && r.sessionId === parsed.sessionId && r.sessionCreated === parsed.created,
    );
    if (!row) throw new TmuxError('not_found', `no runtime ${id} on ${this.host}`);
    return row;
  }

  private async freeName(base: string): Promise<string> {
    const clean = base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 40);
    const taken = new Set((await this.rows()).map((r) => r.sessionName));
    if (!taken.has(clean)) return clean;
    for (let n = 2; ; n += 1) if (!taken.has(`${clean}-${n}`)) return `${clean}-${n}`;
  }

  private fail(kind: Exclude<SendError['kind'], 'timeout'>, message: string): never {
    throw new SendFailure({ kind, host: this.host, status: null, message });
  }
}
