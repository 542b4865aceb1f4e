import type { Runtime } from './runtime.js';

/** What a new runtime is: an agent profile, in a folder or a fresh worktree, maybe for a ticket. */
export interface RuntimeSpec {
  profile: string;
  name?: string;
  cwd?: string;
  worktree?: { repo: string; branch?: string };
  ticket?: string;
  /** Window size; the operator's terminal where known. */
  size?: { columns: number; rows: number };
}

export interface SendOptions {
  /** Press Enter once after the whole text (default true). */
  submit?: boolean;
  ticket?: string;
  idempotencyKey: string;
  /** Deadline of the whole send, confirmation included. */
  timeoutMs?: number;
  /**
   * A message whose earlier outcome is unknown, sent again (`outbox retry`): nothing is typed
   * while delivery cannot be ruled out (its text typed here before under any key, or showing in
   * the pane). A local runtime looks; a host's memory of the key decides there.
   */
  resend?: boolean;
}

export interface SendReceipt {
  messageId: string;
  deliveredAt: string;
  runtime: Runtime;
}

/**
 * The operator's word on text left in an agent's input line (`runtime-api.md`, input): submit
 * it (one Enter), or clear it (the agent's own clear keys).
 */
export interface InputAction {
  action: 'submit' | 'clear';
  /**
   * The key of the message the operator takes the text for. On a clear the runtime forgets it
   * (its pane's record, a host's remembered answer), so that a retry with it types it again.
   */
  idempotencyKey?: string;
}

export interface InputOutcome {
  /** What was in the input line: submitted, or cleared ('' when it was empty already). */
  text: string;
  runtime: Runtime;
  /**
   * The pane says the given key's text was the last one pasted into it: the text was that
   * message's. A clear then forgets the key, so that a retry with it types it again.
   */
  keyWasLast: boolean;
}

export interface Screen {
  cols: number;
  rows: number;
  lines: string[];
  cursor: { x: number; y: number };
}

export type Unsubscribe = () => void;

/**
 * One interface over every transport (local tmux, a runtime host over HTTP, later ssh). The UI
 * and the dispatcher see only this. `send` rejects with a SendFailure carrying a SendError.
 */
export interface RuntimeDriver {
  readonly host: string;
  list(): Promise<Runtime[]>;
  create(spec: RuntimeSpec): Promise<Runtime>;
  send(id: string, text: string, options: SendOptions): Promise<SendReceipt>;
  screen(id: string): Promise<Screen>;
  close(id: string): Promise<void>;
  /** Submits or clears text left in the agent's input line; absent where a host cannot. */
  input?(id: string, action: InputAction): Promise<InputOutcome>;
}

/** What a runtime feed reports: the whole list when it may have changed, and observed state changes. */
export interface RuntimeListener {
  runtimes(list: Runtime[]): void;
  stateChanged(id: string, state: Runtime['state']): void;
  /** The host could not be read (and, after that, that it can again). */
  unreachable?(detail: string): void;
}

/** A live source of one host's runtimes (the local monitor; later a host's event stream). */
export interface RuntimeFeed {
  readonly host: string;
  start(listener: RuntimeListener): void;
  stop(): void;
}
