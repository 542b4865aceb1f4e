/** Outbox messages: a prompt on its way to a runtime. */

export const MESSAGE_STATES = ['pending', 'delivered', 'failed', 'unknown'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

export interface Message {
  id: string;
  ticketKey: string;
  host: string;
  runtimeId: string;
  text: string;
  idempotencyKey: string;
  state: MessageState;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}
