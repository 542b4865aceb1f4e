import {
  describeSendError,
  messageStateAfterFailure,
  type RuntimeRef,
  runtimeRefKey,
  type SendError,
  type Ticket,
} from '../domain/index.js';
import type { AppState } from './state.js';
import { notify, replaceTicket, runtimeLabel, withEvent, withMessage } from './ticket-updates.js';

/**
 * The send rules of `runtime-api.md`. The defining one: only a busy answer adopts a runtime;
 * every other failure returns the ticket to todo, unbound, with the error on it, and says so.
 */

export function applySendQueued(
  state: AppState,
  ticket: Ticket,
  messageId: string,
  runtime: RuntimeRef,
  at: string,
): AppState {
  let next = withPendingMessage(ticket, messageId, runtime);
  next = withEvent(next, { at, type: 'send_queued', text: `queued for ${runtimeLabel(runtime)}` });
  return replaceTicket(state, next);
}

export function applySendDelivered(
  state: AppState,
  ticket: Ticket,
  messageId: string,
  runtime: RuntimeRef,
  at: string,
): AppState {
  let next = withMessage(ticket, {
    id: messageId,
    state: 'delivered',
    runtime: runtimeRefKey(runtime),
    error: null,
  });
  next = {
    ...next,
    state: 'in_progress',
    runtime: { host: runtime.host, id: runtime.id, name: runtime.name, adopted: false },
    lastError: null,
  };
  next = withEvent(next, {
    at,
    type: 'send_delivered',
    text: `delivered to ${runtimeLabel(runtime)}`,
  });
  return replaceTicket(state, next);
}

/**
 * `heldBy`: the ticket the runtime is bound to now, if any. A busy runtime that works on another
 * ticket is not taken from it: the message queues behind that ticket, this one stays unbound.
 */
export function applySendFailed(
  state: AppState,
  ticket: Ticket,
  messageId: string,
  runtime: RuntimeRef,
  error: SendError,
  at: string,
  heldBy: string | null = null,
): AppState {
  const target = runtimeLabel(runtime);
  if (error.kind === 'busy' && heldBy !== null && heldBy !== ticket.key) {
    return applyQueuedBehind(state, ticket, messageId, runtime, heldBy, at);
  }
  if (error.kind === 'busy') {
    // Busy means live and working: adopt it; the message waits for it to turn idle.
    let next = withPendingMessage(ticket, messageId, runtime);
    next = {
      ...next,
      state: 'in_progress',
      runtime: { host: runtime.host, id: runtime.id, name: runtime.name, adopted: true },
      lastError: null,
    };
    const text = `${target} is busy: adopted; the message waits until it is idle`;
    next = withEvent(next, { at, type: 'runtime_adopted', text });
    return notify(replaceTicket(state, next), 'warning', ticket.key, `${ticket.key}: ${text}`, at);
  }

  let next = withMessage(ticket, {
    id: messageId,
    state: messageStateAfterFailure(error),
    runtime: runtimeRefKey(runtime),
    error: error.kind,
  });
  next = {
    ...next,
    state: ticket.state === 'done' ? 'done' : 'todo',
    runtime: null,
    lastError: {
      kind: error.kind,
      status: error.status,
      host: error.host,
      message: error.message,
      at,
    },
  };
  const text = `send to ${target} failed: ${describeSendError(error)}`;
  next = withEvent(next, { at, type: 'send_failed', text });
  let result = notify(
    replaceTicket(state, next),
    'error',
    ticket.key,
    `${ticket.key}: ${text}`,
    at,
  );
  if (error.kind === 'not_found') result = markRuntimeGone(result, runtime);
  return result;
}

/**
 * An unknown message whose text the operator cleared from the runtime's input line: it was not
 * delivered, and a retry (with its first key, which the runtime forgot) types it again.
 */
export function applyInputCleared(
  state: AppState,
  ticket: Ticket,
  messageId: string,
  runtime: RuntimeRef,
  at: string,
): AppState {
  const existing = ticket.messages.find((m) => m.id === messageId);
  if (existing?.state !== 'unknown') return state;
  let next = withMessage(ticket, { ...existing, state: 'failed', error: 'cleared' });
  const text = `its text was cleared from ${runtimeLabel(runtime)}'s input line, unsent; control-room outbox retry ${messageId} sends it again`;
  next = withEvent(next, { at, type: 'send_cleared', text });
  return replaceTicket(state, next);
}

/** The words of a queued ticket, on its timeline and wherever it is shown. */
export function queuedText(runtime: RuntimeRef, after: string): string {
  return `queued on ${runtimeLabel(runtime)} after ${after}`;
}

function applyQueuedBehind(
  state: AppState,
  ticket: Ticket,
  messageId: string,
  runtime: RuntimeRef,
  heldBy: string,
  at: string,
): AppState {
  let next = withPendingMessage(ticket, messageId, runtime);
  // In progress, but bound to nothing yet: the runtime still belongs to `heldBy`.
  next = { ...next, state: 'in_progress', runtime: null, lastError: null };
  const text = `${queuedText(runtime, heldBy)}: the message waits until it is idle`;
  next = withEvent(next, { at, type: 'runtime_queued', text });
  return notify(replaceTicket(state, next), 'warning', ticket.key, `${ticket.key}: ${text}`, at);
}

/**
 * The runtime this ticket was bound to took another ticket's message: the ticket lets it go
 * (keeping its state: the work done so far is the operator's to judge) and says where it went.
 */
export function applyRuntimeMovedOn(
  state: AppState,
  ticket: Ticket,
  runtime: RuntimeRef,
  to: string,
  at: string,
): AppState {
  const bound = ticket.runtime;
  if (!bound || runtimeRefKey(bound) !== runtimeRefKey(runtime) || to === ticket.key) return state;
  const text = `${runtimeLabel(runtime)} moved on to ${to}; ${ticket.key} is no longer bound to it`;
  const next = withEvent({ ...ticket, runtime: null }, { at, type: 'runtime_moved_on', text });
  return notify(replaceTicket(state, next), 'info', ticket.key, `${ticket.key}: ${text}`, at);
}

function markRuntimeGone(state: AppState, runtime: RuntimeRef): AppState {
  const key = runtimeRefKey(runtime);
  const entry = state.runtimes[key];
  if (!entry || entry.gone) return state;
  return { ...state, runtimes: { ...state.runtimes, [key]: { ...entry, gone: true } } };
}

/** The ticket with its message `messageId` waiting for `runtime`. */
function withPendingMessage(ticket: Ticket, messageId: string, runtime: RuntimeRef): Ticket {
  return withMessage(ticket, {
    id: messageId,
    state: 'pending',
    runtime: runtimeRefKey(runtime),
    error: null,
  });
}
