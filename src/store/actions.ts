import type {
  HostedRuntime,
  RuntimeRef,
  RuntimeState,
  SendError,
  Ticket,
  TicketState,
} from '../domain/index.js';

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
    }
  | { type: 'runtimes/synced'; host: string; runtimes: readonly HostedRuntime[]; at: string }
  | { type: 'runtime/stateChanged'; host: string; id: string; state: RuntimeState; at: string }
  | { type: 'notification/seen'; id: string }
  | { type: 'notifications/allSeen' };

export type ActionType = Action['type'];
