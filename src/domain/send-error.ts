import type { MessageState } from './message.js';
import type { Runtime } from './runtime.js';

/** The kinds of `runtime-api.md`'s failure table. Only `busy` adopts a runtime. */
export const SEND_ERROR_KINDS = [
  'busy',
  'auth',
  'server',
  'timeout',
  'post_send',
  'unreachable',
  'not_found',
  'invalid',
  'input_not_empty',
] as const;
export type SendErrorKind = (typeof SEND_ERROR_KINDS)[number];

interface SendErrorBase {
  host: string;
  /** HTTP status where there was one; null for transport failures and local drivers. */
  status: number | null;
  /** The server's or the transport's own words, already sanitised for display. */
  message: string;
}

export type SendError =
  | (SendErrorBase & { kind: 'busy' })
  | (SendErrorBase & { kind: 'auth' })
  | (SendErrorBase & { kind: 'server' })
  | (SendErrorBase & { kind: 'timeout'; bodySent: boolean })
  | (SendErrorBase & { kind: 'post_send' })
  | (SendErrorBase & { kind: 'unreachable' })
  | (SendErrorBase & { kind: 'not_found' })
  | (SendErrorBase & { kind: 'invalid' })
  /** Text sits in the agent's input line (a send cut off before its Enter): nothing typed. */
  | (SendErrorBase & { kind: 'input_not_empty' });

export type NonBusySendError = Exclude<SendError, { kind: 'busy' }>;

/**
 * After a broken connection, or a timeout once the body had gone out, nobody knows whether the
 * text was typed: the message is `unknown` (a retry with the same key is safe). A timeout before
 * anything was sent is a plain failure.
 */
export function messageStateAfterFailure(error: NonBusySendError): MessageState {
  if (error.kind === 'post_send') return 'unknown';
  if (error.kind === 'timeout') return error.bodySent ? 'unknown' : 'failed';
  return 'failed';
}

const ADVICE: Record<SendErrorKind, string> = {
  busy: 'the runtime is working; the message waits until it is idle',
  auth: "check the host's token and its scopes (hosts add NAME URL --token-file F)",
  server: 'the host failed; look at its log, then pick the ticket up again',
  timeout: 'the host did not answer in time; a retry with the same key is safe',
  post_send: 'the connection broke after the send went out; a retry with the same key is safe',
  unreachable: 'the host could not be reached; check that it runs and the address is right',
  not_found: 'the runtime is gone; pick the ticket up on another runtime',
  invalid: 'the host refused the request; check the ticket text and the profile',
  input_not_empty:
    "text is left in the agent's input line, and nothing was typed after it: look (watch), then submit or clear it (runtimes input submit|clear NAME, or s/x on the runtimes view), and pick the ticket up again",
};

export function adviceFor(kind: SendErrorKind): string {
  return ADVICE[kind];
}

export function describeSendError(error: SendError): string {
  const status = error.status === null ? '' : ` ${error.status}`;
  return `${error.kind}${status} from ${error.host}: ${error.message}`;
}

/** A failed send, thrown by drivers: the error is the kind of `runtime-api.md`'s table. */
export class SendFailure extends Error {
  readonly error: SendError;
  /** The runtime as the host described it with the failure (a 409's body), when it did. */
  readonly runtime: Runtime | null;
  constructor(error: SendError, runtime: Runtime | null = null) {
    super(describeSendError(error));
    this.name = 'SendFailure';
    this.error = error;
    this.runtime = runtime;
  }
}
