import {
  inputLeft,
  looksReady,
  type Runtime,
  type RuntimeDriver,
  type RuntimeState,
} from '../../domain/index.js';
import type { Dispatcher, PickupOutcome } from './dispatcher.js';
import type { DriverSource, OutboxMessage, OutboxPort } from './ports.js';

export interface DeliveryReport {
  message: OutboxMessage;
  outcome: PickupOutcome;
}

/** Why a message a pass left in the outbox still waits. */
export type WaitReason =
  /** Its runtime is not ready for a prompt (busy, needs input, starting…). */
  | { kind: 'runtime'; state: RuntimeState }
  /** Its runtime waits with text left in its input line: the operator submits or clears it. */
  | { kind: 'input' }
  /** Its host could not be read. */
  | { kind: 'host'; detail: string }
  /** Another message went to the same runtime this pass; it is working on that one now. */
  | { kind: 'behind'; ticketKey: string }
  /** Another dispatcher (a control room, `dispatch`) is sending it. */
  | { kind: 'leased' };

export interface WaitingReport {
  message: OutboxMessage;
  /** The runtime's session name where known (the message's, else its host's list). */
  runtimeName: string | null;
  reason: WaitReason;
}

/** A host that could not be read this pass: its messages wait for the next. */
export interface HostProblem {
  host: string;
  message: string;
}

/**
 * One pass over the outbox: each waiting message whose runtime is idle now is taken (atomically:
 * of several dispatchers one wins) and sent. One message per runtime per pass: after it the
 * runtime is working. A runtime its host no longer lists is sent to anyway, so that its
 * not_found is recorded like any failure.
 */
export async function deliverOpen(
  dispatcher: Dispatcher,
  outbox: OutboxPort,
  drivers: DriverSource,
  onHostProblem: (problem: HostProblem) => void = () => {},
  onWaiting: (waiting: WaitingReport) => void = () => {},
): Promise<DeliveryReport[]> {
  dispatcher.recover();
  const open = outbox.open();
  if (open.length === 0) return [];
  const byHost = new Map<string, OutboxMessage[]>();
  for (const m of open) {
    const list = byHost.get(m.host);
    if (list) list.push(m);
    else byHost.set(m.host, [m]);
  }
  const reports: DeliveryReport[] = [];
  await Promise.all(
    [...byHost].map(async ([host, messages]) => {
      let driver: RuntimeDriver;
      let runtimes: Runtime[];
      try {
        driver = await drivers.driver(host);
        runtimes = await driver.list();
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        onHostProblem({ host, message: detail });
        for (const message of messages) {
          onWaiting({
            message,
            runtimeName: message.runtimeName,
            reason: { kind: 'host', detail },
          });
        }
        return;
      }
      // Runtime id → the ticket whose message it was given this pass.
      const taken = new Map<string, string>();
      for (const message of messages) {
        if (!stillWanted(message)) {
          // Moved by hand since (to todo, review, done, or another runtime): a late delivery
          // would surprise the operator, so the message is cancelled and says why.
          cancelQuietly(dispatcher, message);
          continue;
        }
        const runtime = runtimes.find((r) => r.id === message.runtimeId);
        const wait = (reason: WaitReason) =>
          onWaiting({ message, runtimeName: message.runtimeName ?? runtime?.name ?? null, reason });
        const before = taken.get(message.runtimeId);
        if (before !== undefined) {
          wait({ kind: 'behind', ticketKey: before });
          continue;
        }
        if (runtime && inputLeft(runtime)) {
          wait({ kind: 'input' });
          continue;
        }
        if (runtime && runtime.state !== 'exited' && !looksReady(runtime, Date.now())) {
          wait({ kind: 'runtime', state: runtime.state });
          continue;
        }
        if (!outbox.lease(message.id, dispatcher.processId)) {
          wait({ kind: 'leased' });
          continue;
        }
        taken.set(message.runtimeId, message.ticketKey);
        const ref = {
          host,
          id: message.runtimeId,
          name: message.runtimeName ?? runtime?.name ?? null,
        };
        const outcome = await dispatcher.sendLeased(message, driver, ref, true);
        reports.push({ message, outcome });
      }
    }),
  );
  return reports;
}

/**
 * A waiting message is still wanted while its ticket is in progress on that runtime, or queued
 * for it (in progress and bound to nothing: the runtime works on another ticket first).
 */
function stillWanted(message: OutboxMessage): boolean {
  return (
    (message.ticketState === 'in_progress' || message.ticketState === 'needs_input') &&
    (message.boundTo === null || message.boundTo === `${message.host}:${message.runtimeId}`)
  );
}

function cancelQuietly(dispatcher: Dispatcher, message: OutboxMessage): void {
  try {
    dispatcher.cancel(
      message.id,
      `the dispatcher, as ${message.ticketKey} is ${message.ticketState} now`,
    );
  } catch {
    // Another dispatcher got there first.
  }
}
