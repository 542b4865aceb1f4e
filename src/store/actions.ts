import type {
  HostedRuntime,
  RuntimeRef,
  RuntimeState,
  SendError,
  Ticket,
  TicketState,
} from '../domain/index.js';

export type PickupStage = 'create' | 'ready';

/** Everything that can happen, as events: services dispatch these, the reducer folds them. */
export type Action =
  | { type: 'tickets/loaded'; tickets: readonly Ticket[] }
  | { type: 'ticket/upserted'; ticket: Ticket }
  | { type: 'ticket/stateSet'; key: string; state: TicketState; at: string }
  | { type: 'send/queued'; ticketKey: string; messageId: string; runtime: RuntimeRef; at: string }
  | {
      type: 'send/delivered';
      ticketKey: string;
      messageId: string;
      runtime: RuntimeRef;
      at: string;
    }
  | {
      type: 'send/failed';
      ticketKey: string;
      messageId: string;
      runtime: RuntimeRef;
      error: SendError;
      at: string;
      /** The ticket the runtime is bound to when it answered; another one's busy queues. */
      heldBy?: string | null;
    }
  /** The runtime a ticket was bound to took another ticket (`to`): the ticket lets it go. */
  | { type: 'runtime/movedOn'; ticketKey: string; runtime: RuntimeRef; to: string; at: string }
  | { type: 'pickup/claimed'; ticketKey: string; holder: string; at: string }
  | {
      type: 'pickup/runtimeStarted';
      ticketKey: string;
      runtime: RuntimeRef;
      profile: string;
      cwd: string;
      at: string;
    }
  /** `runtimes new --ticket K`: a runtime started for the ticket without a pickup binds it. */
  | {
      type: 'ticket/runtimeBound';
      ticketKey: string;
      runtime: RuntimeRef;
      profile: string;
      cwd: string;
      at: string;
    }
  /** The pickup ended before any message was queued: the runtime could not be started or readied. */
  | { type: 'pickup/failed'; ticketKey: string; stage: PickupStage; error: SendError; at: string }
  | {
      type: 'send/retrying';
      ticketKey: string;
      messageId: string;
      runtime: RuntimeRef;
      error: SendError;
      attempt: number;
      delayMs: number;
      at: string;
    }
  /** The process sending it died mid-send: nobody knows whether the text was typed. */
  | {
      type: 'send/interrupted';
      ticketKey: string;
      messageId: string;
      runtime: RuntimeRef;
      holder: string;
      at: string;
    }
  | { type: 'send/cancelled'; ticketKey: string; messageId: string; by: string; at: string }
  /** The operator cleared the unknown message's text from the runtime's input line, unsent. */
  | {
      type: 'send/cleared';
      ticketKey: string;
      messageId: string;
      runtime: RuntimeRef;
      at: string;
    }
  /** A claim whose process died, released so the ticket can be picked up again. */
  | { type: 'claim/released'; ticketKey: string; holder: string; at: string }
  | { type: 'runtimes/synced'; host: string; runtimes: readonly HostedRuntime[]; at: string }
  | { type: 'runtime/stateChanged'; host: string; id: string; state: RuntimeState; at: string }
  | { type: 'host/health'; host: string; ok: boolean; detail: string }
  | { type: 'outbox/counted'; pending: number; unknown: number }
  | { type: 'notification/seen'; id: string }
  | { type: 'notifications/allSeen' };

export type ActionType = Action['type'];
