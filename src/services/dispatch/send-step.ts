import type { RuntimeDriver, RuntimeRef, SendError, Ticket } from '../../domain/index.js';
import { messageStateAfterFailure, SendFailure } from '../../domain/index.js';
import type { Action } from '../../store/index.js';
import type { PickupOutcome } from './dispatcher.js';
import type { OutboxMessage, OutboxPort, RowChange } from './ports.js';
import { othersMoveOn } from './reduce-ticket.js';
import { sendWithRetry } from './retry.js';

/** What one send needs of its dispatcher. */
export interface SendContext {
  processId: string;
  holder: string;
  attempts: number;
  baseDelayMs?: number;
  sendTimeoutMs: number;
  now(): string;
  /** One Action on the stored ticket with its row changes; null when a condition failed. */
  step(action: Action & { ticketKey: string }, change?: RowChange): Ticket | null;
  /** Tells the store of a step written as part of another (a ticket the runtime moved on from). */
  announce(action: Action): void;
  current(key: string): Ticket;
  progress(text: string): void;
  outbox: OutboxPort;
}

/** How a message is sent again by `outbox retry`. */
export interface SendHow {
  /** Its earlier outcome is unknown: the runtime types nothing while it may have it already. */
  resend?: boolean;
  /** `--force`: a key of its own, so that nothing remembered of the first one stops it. */
  idempotencyKey?: string;
}

/**
 * Sends a message this process holds, retrying what a retry can heal, and records the outcome.
 * `quiet` (a redelivery from the outbox): a busy answer leaves the message waiting, unrecorded.
 */
export async function sendAndRecord(
  ctx: SendContext,
  message: OutboxMessage,
  driver: RuntimeDriver,
  runtime: RuntimeRef,
  quiet: boolean,
  how: SendHow = {},
): Promise<PickupOutcome> {
  const key = message.ticketKey;
  let attempts = message.attempts + 1;
  // Every write is conditional on still holding the message: a process taken for dead (stopped
  // past its heartbeat) must not overwrite what recovery recorded, nor send again.
  const guard = { messageId: message.id, processId: ctx.processId };
  try {
    const receipt = await sendWithRetry(
      driver,
      message.runtimeId,
      message.text,
      {
        idempotencyKey: how.idempotencyKey ?? message.idempotencyKey,
        ticket: key,
        timeoutMs: ctx.sendTimeoutMs,
        ...(how.resend ? { resend: true } : {}),
      },
      {
        attempts: ctx.attempts,
        ...(ctx.baseDelayMs !== undefined ? { baseDelayMs: ctx.baseDelayMs } : {}),
        onRetry: (failure, attempt, delayMs) => {
          ctx.progress(`attempt ${attempt} failed (${failure.error.kind}); retrying…`);
          const held = ctx.step(
            {
              type: 'send/retrying',
              ticketKey: key,
              messageId: message.id,
              runtime,
              error: failure.error,
              attempt,
              delayMs,
              at: ctx.now(),
            },
            {
              message: {
                id: message.id,
                state: 'pending',
                error: null,
                sendingBy: ctx.processId,
                attempts,
              },
              ifSendingBy: guard,
            },
          );
          if (!held) throw failure;
          attempts += 1;
        },
      },
    );
    const named = { ...runtime, name: runtime.name ?? receipt.runtime.name };
    const at = ctx.now();
    // Whichever ticket the runtime worked on before lets it go, in the same transaction.
    const others = othersMoveOn(named, key, at);
    const ticket = ctx.step(
      { type: 'send/delivered', ticketKey: key, messageId: message.id, runtime: named, at },
      {
        message: { id: message.id, state: 'delivered', error: null, sendingBy: null, attempts },
        ifSendingBy: guard,
        othersBoundTo: others.othersBoundTo,
      },
    );
    if (ticket) {
      for (const action of others.moved) ctx.announce(action);
      return { kind: 'delivered', ticket, messageId: message.id };
    }
    // Recovery took the message while this process was stopped: it stays as recovery left it.
    const error: SendError = {
      kind: 'post_send',
      host: runtime.host,
      status: null,
      message: 'this control room was taken for dead while it sent; the message is unknown',
    };
    return { kind: 'failed', ticket: ctx.current(key), error, messageId: message.id };
  } catch (error) {
    if (!(error instanceof SendFailure)) {
      // A bug or the database, mid-send: nobody knows whether the text went out.
      ctx.step(
        {
          type: 'send/interrupted',
          ticketKey: key,
          messageId: message.id,
          runtime,
          holder: `${ctx.holder} (${error instanceof Error ? error.message : String(error)})`,
          at: ctx.now(),
        },
        {
          message: { id: message.id, state: 'unknown', error: 'interrupted', sendingBy: null },
          ifSendingBy: guard,
        },
      );
      throw error;
    }
    const named = { ...runtime, name: runtime.name ?? error.runtime?.name ?? null };
    return recordFailure(ctx, message, named, error.error, attempts, quiet);
  }
}

function recordFailure(
  ctx: SendContext,
  message: OutboxMessage,
  runtime: RuntimeRef,
  error: SendError,
  attempts: number,
  quiet: boolean,
): PickupOutcome {
  const key = message.ticketKey;
  if (error.kind === 'busy' && quiet) {
    ctx.outbox.update(key, (t) => t, {
      message: { id: message.id, state: 'pending', error: null, sendingBy: null, attempts },
    });
    return { kind: 'adopted', ticket: ctx.current(key), messageId: message.id };
  }
  const state = error.kind === 'busy' ? 'pending' : messageStateAfterFailure(error);
  // Busy with another ticket queues behind it (the send rules decide; this reads who holds it).
  const held =
    error.kind === 'busy'
      ? ctx.outbox
          .bindings()
          .find((b) => b.host === runtime.host && b.runtimeId === runtime.id && b.ticketKey !== key)
      : undefined;
  const heldBy = held?.ticketKey ?? null;
  if (held && runtime.name === null) runtime = { ...runtime, name: held.runtimeName };
  const ticket = ctx.step(
    {
      type: 'send/failed',
      ticketKey: key,
      messageId: message.id,
      runtime,
      error,
      at: ctx.now(),
      heldBy,
    },
    {
      message: {
        id: message.id,
        state,
        error: error.kind === 'busy' ? null : error.kind,
        sendingBy: null,
        attempts,
      },
      ifSendingBy: { messageId: message.id, processId: ctx.processId },
    },
  );
  const now = ticket ?? ctx.current(key);
  if (error.kind !== 'busy') return { kind: 'failed', ticket: now, error, messageId: message.id };
  return heldBy !== null && now.runtime === null
    ? { kind: 'queued', ticket: now, messageId: message.id, after: heldBy }
    : { kind: 'adopted', ticket: now, messageId: message.id };
}
