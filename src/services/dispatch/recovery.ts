import { describeProcess } from '../../adapters/db/process-registry.js';
import { isoNow } from '../../domain/index.js';
import type { Action } from '../../store/index.js';
import type { OutboxPort, ProcessPort, ProcessRecord, RowChange } from './ports.js';

type Step = (action: Action & { ticketKey: string }, change: RowChange) => unknown;

/**
 * What a dead process left, resolved: a message it was sending becomes unknown and is surfaced
 * (never resent: only the operator knows whether to), and its claims are released and shown.
 * Each step is conditional on the dead process still holding the row, so two control rooms
 * recovering at once record it once.
 */
export function recoverDeadWork(
  me: ProcessRecord,
  outbox: OutboxPort,
  processes: ProcessPort,
  step: Step,
): number {
  // Rows first, processes second: a claim is committed after its process registered, so a
  // process that claims between the two reads is still known to the second.
  const inFlight = outbox.inFlight();
  const claims = outbox.claims();
  const all = processes.all();
  const known = new Map(all.map((p) => [p.id, p]));
  const dead = new Map(
    all.filter((p) => p.id !== me.id && processes.isDead(p)).map((p) => [p.id, p]),
  );
  const gone = (id: string) => id !== me.id && (dead.has(id) || !known.has(id));
  const holder = (id: string) => {
    const p = known.get(id);
    return p ? describeProcess(p) : 'a control room that is gone';
  };
  let steps = 0;
  for (const message of inFlight) {
    const by = message.sendingBy;
    if (by === null || !gone(by)) continue;
    const done = step(
      {
        type: 'send/interrupted',
        ticketKey: message.ticketKey,
        messageId: message.id,
        runtime: { host: message.host, id: message.runtimeId, name: message.runtimeName },
        holder: holder(by),
        at: isoNow(),
      },
      {
        message: { id: message.id, state: 'unknown', error: 'interrupted', sendingBy: null },
        ifSendingBy: { messageId: message.id, processId: by },
      },
    );
    if (done) steps += 1;
  }
  for (const claim of claims) {
    if (!gone(claim.processId)) continue;
    const done = step(
      {
        type: 'claim/released',
        ticketKey: claim.ticketKey,
        holder: holder(claim.processId),
        at: isoNow(),
      },
      { releaseClaimOf: claim.processId, ifClaimedBy: claim.processId },
    );
    if (done) steps += 1;
  }
  for (const id of dead.keys()) processes.unregister(id);
  return steps;
}
