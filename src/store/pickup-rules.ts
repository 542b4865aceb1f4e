import {
  describeSendError,
  type RuntimeRef,
  runtimeRefKey,
  type SendError,
  type Ticket,
} from '../domain/index.js';
import type { PickupStage } from './actions.js';
import type { AppState } from './state.js';
import {
  runtimeLabel as label,
  notify,
  replaceTicket,
  withEvent,
  withMessage,
} from './ticket-updates.js';

/**
 * The steps of a pickup around the send itself (`send-rules.ts` has the send's outcomes): the
 * claim, a runtime started for the ticket, retries, and what is left when a process dies.
 */

/** A ticket that is not done goes back to todo, unbound: the operator may pick it up anew. */
function backToTodo(ticket: Ticket): Ticket {
  return { ...ticket, state: ticket.state === 'done' ? 'done' : 'todo', runtime: null };
}

export function applyClaimed(state: AppState, ticket: Ticket, holder: string, at: string) {
  return replaceTicket(
    state,
    withEvent(ticket, { at, type: 'claimed', text: `claimed by ${holder}` }),
  );
}

export function applyRuntimeStarted(
  state: AppState,
  ticket: Ticket,
  runtime: RuntimeRef,
  profile: string,
  cwd: string,
  at: string,
): AppState {
  const text = `started ${label(runtime)} (${profile}) in ${cwd}`;
  return replaceTicket(state, withEvent(ticket, { at, type: 'runtime_started', text }));
}

const STAGE_WORDS: Record<PickupStage, string> = {
  create: 'starting a runtime failed',
  ready: 'the new runtime did not become ready',
};

export function applyPickupFailed(
  state: AppState,
  ticket: Ticket,
  stage: PickupStage,
  error: SendError,
  at: string,
): AppState {
  const text = `${STAGE_WORDS[stage]}: ${describeSendError(error)}`;
  let next = backToTodo(ticket);
  next = {
    ...next,
    lastError: {
      kind: error.kind,
      status: error.status,
      host: error.host,
      message: error.message,
      at,
    },
  };
  next = withEvent(next, { at, type: 'pickup_failed', text });
  return notify(replaceTicket(state, next), 'error', ticket.key, `${ticket.key}: ${text}`, at);
}

export function applyRetrying(
  state: AppState,
  ticket: Ticket,
  runtime: RuntimeRef,
  error: SendError,
  attempt: number,
  delayMs: number,
  at: string,
): AppState {
  const text = `attempt ${attempt} to ${label(runtime)} failed: ${describeSendError(error)}; retrying in ${delayMs} ms with the same key`;
  return replaceTicket(state, withEvent(ticket, { at, type: 'send_retrying', text }));
}

export function applyInterrupted(
  state: AppState,
  ticket: Ticket,
  messageId: string,
  runtime: RuntimeRef,
  holder: string,
  at: string,
): AppState {
  const message = `${holder} stopped while sending; whether the text was typed is unknown`;
  let next = withMessage(ticket, {
    id: messageId,
    state: 'unknown',
    runtime: runtimeRefKey(runtime),
    error: 'interrupted',
  });
  next = {
    ...backToTodo(next),
    lastError: { kind: 'interrupted', status: null, host: runtime.host, message, at },
  };
  const text = `send to ${label(runtime)} interrupted: ${message}; look at the runtime before picking the ticket up again`;
  next = withEvent(next, { at, type: 'send_interrupted', text });
  return notify(replaceTicket(state, next), 'error', ticket.key, `${ticket.key}: ${text}`, at);
}

export function applyCancelled(
  state: AppState,
  ticket: Ticket,
  messageId: string,
  by: string,
  at: string,
): AppState {
  const existing = ticket.messages.find((m) => m.id === messageId);
  if (existing?.state !== 'pending') return state;
  let next = withMessage(ticket, { ...existing, state: 'failed', error: 'cancelled' });
  // Only an adopted binding, or a ticket queued behind another (in progress, bound to
  // nothing), waits on this message; a delivered one is left alone.
  const queued =
    next.runtime === null && (next.state === 'in_progress' || next.state === 'needs_input');
  if (next.runtime?.adopted || queued) next = backToTodo(next);
  next = withEvent(next, { at, type: 'send_cancelled', text: `message cancelled by ${by}` });
  return replaceTicket(state, next);
}

export function applyClaimReleased(
  state: AppState,
  ticket: Ticket,
  holder: string,
  at: string,
): AppState {
  const text = `claim of ${holder} released: its process is gone`;
  const next = withEvent(ticket, { at, type: 'claim_released', text });
  return notify(replaceTicket(state, next), 'warning', ticket.key, `${ticket.key}: ${text}`, at);
}
