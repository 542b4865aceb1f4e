import {
  AppFailure,
  type InputAction,
  type MessageState,
  type Runtime,
  type RuntimeRef,
  sanitizeLine,
  type Ticket,
} from '../../domain/index.js';
import type { Action } from '../../store/index.js';
import { runtimeLabel } from '../../store/ticket-updates.js';
import type { DriverSource, OutboxMessage, OutboxPort, RowChange } from './ports.js';
import { othersMoveOn } from './reduce-ticket.js';

/**
 * The operator's word on text left in a runtime's input line (`input not empty`): submit it or
 * clear it. The text of a send that stopped between its paste and its Enter is its message's,
 * which stays `unknown` until then: submitted, it is delivered; cleared, it failed (`cleared`)
 * and `outbox retry` types it again. The pane tells whose text it is (the key of the last
 * paste); a message it does not name is left as it is.
 */

export interface InputDecision {
  host: string;
  runtime: Runtime;
  action: InputAction['action'];
  /** What was in the input line. */
  text: string;
  /** The unknown message the text was, and its state now; null when no message's. */
  message: { id: string; ticketKey: string; state: MessageState } | null;
}

export interface DecisionContext {
  outbox: OutboxPort;
  drivers: DriverSource;
  now(): string;
  step(action: Action & { ticketKey: string }, change?: RowChange): Ticket | null;
  announce(action: Action): void;
}

export async function decideLeftInput(
  ctx: DecisionContext,
  ref: RuntimeRef,
  action: InputAction['action'],
): Promise<InputDecision> {
  const driver = await ctx.drivers.driver(ref.host);
  if (!driver.input) {
    throw new AppFailure({
      kind: 'usage',
      message: `host ${ref.host} cannot submit or clear an input line`,
      hint: 'attach to the runtime and do it by hand',
    });
  }
  // The newest unknown message sent to this runtime: the one a crash may have left behind.
  const unknown = ctx.outbox
    .list('unknown')
    .filter((m) => m.host === ref.host && m.runtimeId === ref.id)
    .at(-1);
  const outcome = await driver.input(ref.id, {
    action,
    ...(unknown ? { idempotencyKey: unknown.idempotencyKey } : {}),
  });
  const named = { ...ref, name: ref.name ?? outcome.runtime.name };
  const decided = {
    host: ref.host,
    runtime: outcome.runtime,
    action,
    text: outcome.text,
    message: null,
  };
  if (!unknown || !outcome.keyWasLast) return decided;
  const settled =
    action === 'submit' ? delivered(ctx, unknown, named) : cleared(ctx, unknown, named);
  return settled ? { ...decided, message: settled } : decided;
}

function delivered(ctx: DecisionContext, message: OutboxMessage, runtime: RuntimeRef) {
  const at = ctx.now();
  // Whichever ticket the runtime worked on lets it go, as after any delivery.
  const others = othersMoveOn(runtime, message.ticketKey, at);
  const ticket = ctx.step(
    { type: 'send/delivered', ticketKey: message.ticketKey, messageId: message.id, runtime, at },
    {
      message: { id: message.id, state: 'delivered', error: null, sendingBy: null },
      ifMessageState: { messageId: message.id, state: 'unknown' },
      othersBoundTo: others.othersBoundTo,
    },
  );
  if (!ticket) return null;
  for (const moved of others.moved) ctx.announce(moved);
  return { id: message.id, ticketKey: message.ticketKey, state: 'delivered' as const };
}

function cleared(ctx: DecisionContext, message: OutboxMessage, runtime: RuntimeRef) {
  const ticket = ctx.step(
    {
      type: 'send/cleared',
      ticketKey: message.ticketKey,
      messageId: message.id,
      runtime,
      at: ctx.now(),
    },
    {
      message: { id: message.id, state: 'failed', error: 'cleared', sendingBy: null },
      ifMessageState: { messageId: message.id, state: 'unknown' },
    },
  );
  if (!ticket) return null;
  return { id: message.id, ticketKey: message.ticketKey, state: 'failed' as const };
}

/** One line for the operator: what was done, and what became of the message. */
export function decisionText(decision: InputDecision): string {
  const where = sanitizeLine(
    runtimeLabel({ host: decision.host, id: decision.runtime.id, name: decision.runtime.name }),
  );
  const m = decision.message;
  if (decision.action === 'clear' && decision.text === '') {
    return `the input line of ${where} was empty already; nothing was cleared`;
  }
  const done =
    decision.action === 'submit'
      ? `submitted the input line of ${where}`
      : `cleared the input line of ${where}`;
  if (!m) return `${done}; it was no message's text the control room knows`;
  const which = `${m.id} (${sanitizeLine(m.ticketKey)})`;
  return m.state === 'delivered'
    ? `${done}: ${which} is delivered`
    : `${done}: ${which} was not delivered; control-room outbox retry ${m.id} sends it again`;
}
