import { setTimeout as sleep } from 'node:timers/promises';
import {
  type InputAction,
  type RuntimeState,
  type SendError,
  SendFailure,
  sanitizeLine,
} from '../../domain/index.js';
import type { StateDetector } from './detectors/index.js';
import { type Command, excerpt, lookAt, readInput } from './input-check.js';
import { PaneSent } from './pane-sent.js';
import { keyDigest } from './paste.js';
import type { PaneRow } from './runtime-rows.js';
import { target } from './tmux-client.js';

/**
 * The operator's answer to text left in an agent's input line: submit it (one Enter) or clear
 * it (the agent's own clear keys, as tmux key names: fixed keys, never text). Both only while
 * the agent waits for a prompt: an Enter into a question would answer it.
 */

const POLL_MS = 40;
/** How long one round of clear keys may take to show on the screen. */
const ROUND_MS = 1_500;
/** A line of input a round: more rounds than a tall draft has lines. */
const MAX_ROUNDS = 200;
/** Confirming a submit waits at most this long, as a send's confirmation does. */
const CONFIRM_MS = 5_000;

export interface InputDeps {
  command: Command;
  host: string;
  row: PaneRow;
  detector: StateDetector;
  /** The agent's state now, read cautiously (a working screen wins over an idle hook). */
  state(): Promise<RuntimeState>;
}

function failure(
  deps: InputDeps,
  kind: Exclude<SendError['kind'], 'timeout'>,
  message: string,
): SendFailure {
  return new SendFailure({ kind, host: deps.host, status: null, message });
}

/**
 * Submits or clears: the text that was in the input line, and whether the pane says the given
 * key's text was the last one pasted into it (forgotten there after a clear: a retry with the
 * key then types it again).
 */
export async function actOnInput(
  deps: InputDeps,
  action: InputAction,
): Promise<{ text: string; keyWasLast: boolean }> {
  const key = action.idempotencyKey;
  const sent = new PaneSent(deps.command);
  const last = await sent.last(deps.row.paneId);
  const keyWasLast = key !== undefined && last?.key === keyDigest(key);
  const text = await submitOrClear(deps, action);
  if (keyWasLast && action.action === 'clear') await sent.forget(deps.row.paneId, key);
  return { text, keyWasLast };
}

async function submitOrClear(deps: InputDeps, action: InputAction): Promise<string> {
  const name = sanitizeLine(deps.row.sessionName);
  if (deps.row.paneDead) throw failure(deps, 'not_found', `the agent in ${name} has exited`);
  const state = await deps.state();
  if (state === 'busy' || state === 'needs_input') {
    const doing = state === 'busy' ? 'working' : 'waiting for an answer';
    throw failure(deps, 'busy', `${name} is ${doing}; its input line is left alone until it waits`);
  }
  const read = async () => readInput(deps.detector, await lookAt(deps.command, deps.row.paneId));
  const before = await read();
  if (before.input === 'unknown') {
    throw failure(
      deps,
      'invalid',
      `the input line of ${name} cannot be read (its program is not a known agent): attach and look`,
    );
  }
  if (action.action === 'clear') return clear(deps, read, before.text, name);
  if (before.input === 'empty') {
    throw failure(deps, 'invalid', `the input line of ${name} is empty: nothing was submitted`);
  }
  await deps.command(['send-keys', '-t', target.pane(deps.row.paneId), 'Enter']);
  const until = Date.now() + CONFIRM_MS;
  while (Date.now() < until) {
    const now = await deps.state();
    if (now === 'busy' || now === 'needs_input' || now === 'exited') return before.text;
    if ((await read()).input !== 'text') return before.text;
    await sleep(POLL_MS);
  }
  throw failure(
    deps,
    'post_send',
    `Enter was pressed in ${name}, but its input line still holds "${excerpt(before.text)}": look at it`,
  );
}

async function clear(
  deps: InputDeps,
  read: () => Promise<{ input: string; text: string }>,
  text: string,
  name: string,
): Promise<string> {
  if (text === '') return '';
  const keys = deps.detector.clearKeys;
  let last = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Key names, not text: `clearKeys` is a closed set of tmux key names (TmuxKeyName).
    await deps.command(['send-keys', '-t', target.pane(deps.row.paneId), ...keys]);
    // The keys take a moment to show: wait until the line changes, then go on from there.
    const until = Date.now() + ROUND_MS;
    let now = await read();
    while (now.input === 'text' && now.text === last && Date.now() < until) {
      await sleep(POLL_MS);
      now = await read();
    }
    if (now.input !== 'text') return text;
    if (now.text === last) break;
    last = now.text;
  }
  throw failure(
    deps,
    'input_not_empty',
    `the input line of ${name} still holds "${excerpt(last)}" after its clear keys (${keys.join(' ')}): attach and clear it by hand`,
  );
}
