import { randomUUID } from 'node:crypto';
import { describeProcess, HEARTBEAT_MS } from '../../adapters/db/process-registry.js';
import {
  AppFailure,
  isoNow,
  promptForTicket,
  type RuntimeDriver,
  type RuntimeRef,
  type RuntimeSpec,
  type SendError,
  type Ticket,
} from '../../domain/index.js';
import type { Action } from '../../store/index.js';
import { runtimeLabel } from '../../store/ticket-updates.js';
import { claimRefusal } from './claim-refusal.js';
import { decideLeftInput, type InputDecision } from './input-decision.js';
import type {
  DriverSource,
  OutboxMessage,
  OutboxPort,
  ProcessPort,
  ProcessRecord,
  RowChange,
} from './ports.js';
import { recoverDeadWork } from './recovery.js';
import { reduceTicket } from './reduce-ticket.js';
import { type SendContext, sendAndRecord } from './send-step.js';
import { asSendError, type PickupTarget, resolveRuntime } from './target.js';
import { waitUntilReady } from './wait-ready.js';

export interface DispatcherOptions {
  outbox: OutboxPort;
  processes: ProcessPort;
  drivers: DriverSource;
  /** What this process is, in the words a loser of a claim is told: `tui`, `dispatch`, `pickup`. */
  role: string;
  /** Attempts of one send, the first included (unknown outcomes retried with the same key). */
  attempts: number;
  baseDelayMs?: number;
  sendTimeoutMs: number;
  readyTimeoutMs: number;
  /**
   * The size of a runtime started for a pickup whose spec names none: the operator's terminal,
   * read as it starts (none: the driver's default).
   */
  newRuntimeSize?: () => RuntimeSpec['size'];
  /**
   * Why a profile of this machine can take no ticket (it starts a shell): a pickup into a new
   * runtime of it is refused before anything starts, so no session is left behind.
   */
  profileRefusal?: (profile: string) => string | undefined;
  /** Every step, as the store's Action (the TUI folds them into its store). */
  onAction?: (action: Action) => void;
  /** A line of progress for anything slow (the CLI writes it to stderr). */
  onProgress?: (text: string) => void;
  now?: () => string;
}

export type PickupOutcome =
  | { kind: 'delivered'; ticket: Ticket; messageId: string }
  | { kind: 'adopted'; ticket: Ticket; messageId: string }
  /** Busy with another ticket (`after`): the message waits behind it, the ticket unbound. */
  | { kind: 'queued'; ticket: Ticket; messageId: string; after: string }
  | { kind: 'failed'; ticket: Ticket; error: SendError; messageId: string | null };

export { reduceTicket };

/**
 * Picks tickets up and delivers the outbox, following `runtime-api.md`: only busy adopts; every
 * other failure returns the ticket to todo with its error. Every step is an Action, written with
 * the ticket in one transaction, so a process killed at any moment leaves a state `recover` reads.
 */
export class Dispatcher {
  private me: ProcessRecord | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly now: () => string;

  constructor(private readonly o: DispatcherOptions) {
    this.now = o.now ?? isoNow;
  }

  /** Registers this process (its heartbeat keeps its claims) and resolves what dead ones left. */
  start(): void {
    if (this.me) return;
    this.me = this.o.processes.register(this.o.role);
    const me = this.me;
    this.heartbeat = setInterval(() => {
      try {
        this.o.processes.heartbeat(me);
      } catch {
        // A locked database skips one beat; the next one comes two seconds later.
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    this.recover();
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.me) this.o.processes.unregister(this.me.id);
    this.me = undefined;
  }

  private self(): ProcessRecord {
    if (!this.me) this.start();
    return this.me as ProcessRecord;
  }

  get processId(): string {
    return this.self().id;
  }

  get holder(): string {
    return describeProcess(this.self());
  }

  /** Releases claims and surfaces sends that dead processes left; the number of steps taken. */
  recover(): number {
    return recoverDeadWork(this.self(), this.o.outbox, this.o.processes, (action, change) =>
      this.step(action, change),
    );
  }

  /** Applies one Action to the stored ticket with its row changes; null when a condition failed. */
  private step(action: Action & { ticketKey: string }, change: RowChange = {}): Ticket | null {
    const ticket = this.o.outbox.update(
      action.ticketKey,
      (t) => reduceTicket(t, action),
      change,
      (action as { at?: string }).at,
    );
    if (ticket) this.o.onAction?.(action);
    return ticket;
  }

  private progress(text: string): void {
    this.o.onProgress?.(text);
  }

  async pickup(key: string, target: PickupTarget): Promise<PickupOutcome> {
    return this.withClaim(key, (ticket) => this.pickupClaimed(ticket, target));
  }

  /**
   * Sends an unknown or failed message again, with its first idempotency key: a host that got
   * it the first time types nothing and answers as it did then (`runtime-api.md`), and a local
   * pane, which remembers its last 64 pastes, types nothing it was sent before. An unknown
   * message is typed only when the runtime shows no sign of it; `force` types it whatever the
   * runtime remembers or shows, as a send of its own (a new key).
   */
  async resend(messageId: string, options: { force?: boolean } = {}): Promise<PickupOutcome> {
    const message = this.o.outbox.message(messageId);
    if (!message) {
      throw new AppFailure({
        kind: 'not_found',
        message: `no message ${messageId}`,
        hint: 'control-room outbox lists them',
      });
    }
    if (message.state === 'pending' || message.state === 'delivered') {
      throw new AppFailure({
        kind: 'conflict',
        message: `${messageId} is ${message.state}; only an unknown or failed message is sent again`,
      });
    }
    return this.withClaim(message.ticketKey, async () => {
      const driver = await this.o.drivers.driver(message.host);
      const runtime = { host: message.host, id: message.runtimeId, name: message.runtimeName };
      const { ticketKey } = message;
      this.step(
        { type: 'send/queued', ticketKey, messageId, runtime, at: this.now() },
        { message: { id: messageId, state: 'pending', error: null, sendingBy: this.self().id } },
      );
      const stored = this.o.outbox.message(messageId) ?? message;
      const how = options.force
        ? { idempotencyKey: `${message.idempotencyKey}-force-${randomUUID().slice(0, 8)}` }
        : { resend: message.state === 'unknown' };
      const forced = options.force ? ', forced, with a key of its own' : ', with its first key';
      this.progress(`sending ${ticketKey} again to ${runtimeLabel(runtime)}${forced}…`);
      return sendAndRecord(this.sendContext(), stored, driver, runtime, false, how);
    });
  }

  /** Runs `work` holding the ticket's claim, released however it ends. */
  private async withClaim(
    key: string,
    work: (ticket: Ticket) => Promise<PickupOutcome>,
  ): Promise<PickupOutcome> {
    const me = this.self();
    this.recover();
    const at = this.now();
    // The key as stored: the lookup ignores case, the reducer does not.
    const claimedBy = (ticketKey: string): Action => ({
      type: 'pickup/claimed',
      ticketKey,
      holder: this.holder,
      at,
    });
    const claim = this.o.outbox.claim(key, me.id, at, (t) => reduceTicket(t, claimedBy(t.key)));
    if (!claim.ok) throw claimRefusal(key, claim, this.o.processes.all());
    this.o.onAction?.(claimedBy(claim.ticket.key));
    try {
      return await work(claim.ticket);
    } finally {
      this.o.outbox.releaseClaim(key, me.id);
    }
  }

  private async pickupClaimed(ticket: Ticket, target: PickupTarget): Promise<PickupOutcome> {
    const key = ticket.key;
    let driver: RuntimeDriver;
    try {
      driver = await this.o.drivers.driver(target.host);
    } catch (error) {
      if (error instanceof AppFailure && error.error.kind !== 'not_found') throw error;
      return this.pickupFailed(ticket, 'create', asSendError(error, target.host));
    }
    let runtime: RuntimeRef;
    if (target.kind === 'new') {
      const started = await this.startRuntime(ticket, driver, target);
      if ('failed' in started) return started.failed;
      runtime = started.runtime;
    } else {
      runtime = await resolveRuntime(driver, target.runtime);
    }
    const message: OutboxMessage['id'] = `msg_${randomUUID()}`;
    const queued = this.step(
      { type: 'send/queued', ticketKey: key, messageId: message, runtime, at: this.now() },
      {
        insertMessage: {
          id: message,
          host: runtime.host,
          runtimeId: runtime.id,
          runtimeName: runtime.name,
          text: promptForTicket(ticket),
          idempotencyKey: `cr-${randomUUID()}`,
          sendingBy: this.self().id,
        },
      },
    );
    const stored = this.o.outbox.message(message);
    if (!queued || !stored) throw new Error(`the message for ${key} was not stored`);
    this.progress(`sending ${key} to ${runtimeLabel(runtime)}…`);
    return this.sendLeased(stored, driver, runtime, false);
  }

  private async startRuntime(
    ticket: Ticket,
    driver: RuntimeDriver,
    target: Extract<PickupTarget, { kind: 'new' }>,
  ): Promise<{ runtime: RuntimeRef } | { failed: PickupOutcome }> {
    const key = ticket.key;
    const refusal =
      target.host === 'local' ? this.o.profileRefusal?.(target.spec.profile) : undefined;
    if (refusal !== undefined) {
      const error: SendError = {
        kind: 'invalid',
        host: target.host,
        status: null,
        message: refusal,
      };
      return { failed: this.pickupFailed(ticket, 'create', error) };
    }
    this.progress(`starting ${target.spec.profile} on ${target.host} for ${key}…`);
    let created: Awaited<ReturnType<RuntimeDriver['create']>>;
    try {
      const size = target.spec.size ?? this.o.newRuntimeSize?.();
      created = await driver.create({ ...target.spec, ticket: key, ...(size ? { size } : {}) });
    } catch (error) {
      return { failed: this.pickupFailed(ticket, 'create', asSendError(error, target.host)) };
    }
    const runtime: RuntimeRef = { host: target.host, id: created.id, name: created.name };
    this.step({
      type: 'pickup/runtimeStarted',
      ticketKey: key,
      runtime,
      profile: target.spec.profile,
      cwd: created.cwd,
      at: this.now(),
    });
    const ready = await waitUntilReady(driver, created.id, this.o.readyTimeoutMs, (s) =>
      this.progress(`waiting for ${created.name} to be ready (${s})…`),
    );
    if (!ready.ok) {
      const failed = this.pickupFailed(ticket, 'ready', { ...ready.error, host: target.host });
      return { failed };
    }
    return { runtime };
  }

  private pickupFailed(ticket: Ticket, stage: 'create' | 'ready', error: SendError): PickupOutcome {
    const action: Action = {
      type: 'pickup/failed',
      ticketKey: ticket.key,
      stage,
      error,
      at: this.now(),
    };
    const next = this.step(action) ?? ticket;
    return { kind: 'failed', ticket: next, error, messageId: null };
  }

  /**
   * Sends a message this process holds, retrying what a retry can heal, and records the outcome.
   * `quiet` (a redelivery from the outbox): a busy answer leaves the message waiting, unrecorded.
   */
  sendLeased(
    message: OutboxMessage,
    driver: RuntimeDriver,
    runtime: RuntimeRef,
    quiet: boolean,
  ): Promise<PickupOutcome> {
    return sendAndRecord(this.sendContext(), message, driver, runtime, quiet);
  }

  private sendContext(): SendContext {
    return {
      processId: this.self().id,
      holder: this.holder,
      attempts: this.o.attempts,
      ...(this.o.baseDelayMs !== undefined ? { baseDelayMs: this.o.baseDelayMs } : {}),
      sendTimeoutMs: this.o.sendTimeoutMs,
      now: this.now,
      step: (action, change) => this.step(action, change),
      announce: (action) => this.o.onAction?.(action),
      current: (key) => this.current(key),
      progress: (text) => this.progress(text),
      outbox: this.o.outbox,
    };
  }

  /**
   * Submits or clears text left in a runtime's input line, and settles the unknown message it
   * was (submitted: delivered; cleared: failed, and `resend` types it again).
   */
  settleInput(runtime: RuntimeRef, action: 'submit' | 'clear'): Promise<InputDecision> {
    return decideLeftInput(
      {
        outbox: this.o.outbox,
        drivers: this.o.drivers,
        now: this.now,
        step: (a, change) => this.step(a, change),
        announce: (a) => this.o.onAction?.(a),
      },
      runtime,
      action,
    );
  }

  /** Stops a waiting message: the operator's word. A message being sent now cannot be stopped. */
  cancel(messageId: string, by: string): Ticket {
    const me = this.self();
    const message = this.o.outbox.message(messageId);
    if (!message) {
      throw new AppFailure({
        kind: 'not_found',
        message: `no message ${messageId}`,
        hint: 'control-room outbox lists them',
      });
    }
    if (!this.o.outbox.lease(messageId, me.id)) {
      const why =
        message.state === 'pending' ? 'it is being sent right now' : `it is ${message.state}`;
      throw new AppFailure({ kind: 'conflict', message: `cannot cancel ${messageId}: ${why}` });
    }
    const ticket = this.step(
      { type: 'send/cancelled', ticketKey: message.ticketKey, messageId, by, at: this.now() },
      {
        message: { id: messageId, state: 'failed', error: 'cancelled', sendingBy: null },
        ifSendingBy: { messageId, processId: me.id },
      },
    );
    return ticket ?? this.current(message.ticketKey);
  }

  private current(key: string): Ticket {
    const ticket = this.o.outbox.update(key, (t) => t);
    if (!ticket) throw new Error(`no ticket ${key}`);
    return ticket;
  }
}
