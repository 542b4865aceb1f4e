import { looksReady, type Runtime, type RuntimeDriver } from '../../domain/index.js';
import type { Dispatcher, PickupOutcome } from './dispatcher.js';
import type { DriverSource, OutboxMessage, OutboxPort } from './ports.js';

export interface DeliveryReport {
  message: OutboxMessage;
  outcome: PickupOutcome;
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
        onHostProblem({ host, message: error instanceof Error ? error.message : String(error) });
        return;
      }
      const taken = new Set<string>();
      for (const message of messages) {
        if (!stillWanted(message)) {
          // Moved by hand since (to todo, review, done, or another runtime): a late delivery
          // would surprise the operator, so the message is cancelled and says why.
          cancelQuietly(dispatcher, message);
          continue;
        }
        if (taken.has(message.runtimeId)) continue;
        const runtime = runtimes.find((r) => r.id === message.runtimeId);
        if (runtime && runtime.state !== 'exited' && !looksReady(runtime, Date.now())) continue;
        if (!outbox.lease(message.id, dispatcher.processId)) continue;
        taken.add(message.runtimeId);
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
