import type { Action } from './actions.js';
import { applyRuntimeBound } from './binding-rules.js';
import {
  applyCancelled,
  applyClaimed,
  applyClaimReleased,
  applyInterrupted,
  applyPickupFailed,
  applyRetrying,
  applyRuntimeStarted,
} from './pickup-rules.js';
import { applyRuntimeStateChanged, applyRuntimesSynced } from './runtime-rules.js';
import {
  applyInputCleared,
  applyRuntimeMovedOn,
  applySendDelivered,
  applySendFailed,
  applySendQueued,
} from './send-rules.js';
import { type AppState, stateWithTickets } from './state.js';
import { replaceTicket, withEvent } from './ticket-updates.js';

/** Pure: `(state, action) => state`. It never mutates its input and never throws. */
export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'tickets/loaded': {
      const loaded = stateWithTickets(action.tickets);
      return {
        ...state,
        tickets: loaded.tickets,
        ticketOrder: loaded.ticketOrder,
        ticketTotals: null,
      };
    }
    case 'ticket/upserted': {
      const exists = action.ticket.key in state.tickets;
      const next = replaceTicket(state, action.ticket);
      return exists ? next : { ...next, ticketOrder: [action.ticket.key, ...state.ticketOrder] };
    }
    case 'ticket/stateSet': {
      const ticket = state.tickets[action.key];
      if (!ticket || ticket.state === action.state) return state;
      // A ticket moved back to todo by hand is free to be picked up anew.
      const runtime = action.state === 'todo' ? null : ticket.runtime;
      const moved = withEvent(
        { ...ticket, state: action.state, runtime },
        { at: action.at, type: 'state_set', text: `${ticket.state} → ${action.state} by hand` },
      );
      return replaceTicket(state, moved);
    }
    case 'send/queued': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      return applySendQueued(state, ticket, action.messageId, action.runtime, action.at);
    }
    case 'send/delivered': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      return applySendDelivered(state, ticket, action.messageId, action.runtime, action.at);
    }
    case 'send/failed': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      return applySendFailed(
        state,
        ticket,
        action.messageId,
        action.runtime,
        action.error,
        action.at,
        action.heldBy ?? null,
      );
    }
    case 'runtime/movedOn': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      return applyRuntimeMovedOn(state, ticket, action.runtime, action.to, action.at);
    }
    case 'pickup/claimed': {
      const ticket = state.tickets[action.ticketKey];
      return ticket ? applyClaimed(state, ticket, action.holder, action.at) : state;
    }
    case 'pickup/runtimeStarted': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      return applyRuntimeStarted(
        state,
        ticket,
        action.runtime,
        action.profile,
        action.cwd,
        action.at,
      );
    }
    case 'ticket/runtimeBound': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      const { runtime, profile, cwd, at } = action;
      return applyRuntimeBound(state, ticket, runtime, profile, cwd, at);
    }
    case 'pickup/failed': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      return applyPickupFailed(state, ticket, action.stage, action.error, action.at);
    }
    case 'send/retrying': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      const { runtime, error, attempt, delayMs, at } = action;
      return applyRetrying(state, ticket, runtime, error, attempt, delayMs, at);
    }
    case 'send/interrupted': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      const { messageId, runtime, holder, at } = action;
      return applyInterrupted(state, ticket, messageId, runtime, holder, at);
    }
    case 'send/cancelled': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      return applyCancelled(state, ticket, action.messageId, action.by, action.at);
    }
    case 'send/cleared': {
      const ticket = state.tickets[action.ticketKey];
      if (!ticket) return state;
      return applyInputCleared(state, ticket, action.messageId, action.runtime, action.at);
    }
    case 'claim/released': {
      const ticket = state.tickets[action.ticketKey];
      return ticket ? applyClaimReleased(state, ticket, action.holder, action.at) : state;
    }
    case 'runtimes/synced':
      return applyRuntimesSynced(state, action.host, action.runtimes, action.at);
    case 'runtime/stateChanged':
      return applyRuntimeStateChanged(state, action.host, action.id, action.state, action.at);
    case 'host/health': {
      const known = state.hosts[action.host];
      if (known && known.ok === action.ok && known.detail === action.detail) return state;
      const health = { ok: action.ok, detail: action.detail };
      return { ...state, hosts: { ...state.hosts, [action.host]: health } };
    }
    case 'outbox/counted': {
      const { pending, unknown } = action;
      if (state.outbox.pending === pending && state.outbox.unknown === unknown) return state;
      return { ...state, outbox: { pending, unknown } };
    }
    case 'notification/seen': {
      const index = state.notifications.findIndex((n) => n.id === action.id && !n.seen);
      if (index === -1) return state;
      const notifications = state.notifications.map((n, i) =>
        i === index ? { ...n, seen: true } : n,
      );
      return { ...state, notifications };
    }
    case 'notifications/allSeen': {
      if (state.notifications.every((n) => n.seen)) return state;
      return { ...state, notifications: state.notifications.map((n) => ({ ...n, seen: true })) };
    }
    default: {
      // Exhaustive at compile time; an unknown action at run time changes nothing.
      const unhandled: never = action;
      void unhandled;
      return state;
    }
  }
}
