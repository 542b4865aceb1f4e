import { describeProcess } from '../../adapters/db/process-registry.js';
import { AppFailure } from '../../domain/index.js';
import type { ClaimResult, ProcessRecord } from './ports.js';

/** Why a claim was refused, in words that say who holds the ticket and what to do. */
export function claimRefusal(
  key: string,
  claim: Exclude<ClaimResult, { ok: true }>,
  processes: readonly ProcessRecord[],
): AppFailure {
  if (claim.reason === 'held') {
    const holder = processes.find((p) => p.id === claim.processId);
    const who = holder ? describeProcess(holder) : 'another control room';
    return new AppFailure({
      kind: 'conflict',
      message: `${key} is being picked up by ${who} since ${claim.since}`,
      hint: 'wait for that pickup to end; a claim of a process that died is released at the next start',
    });
  }
  const runtime = claim.ticket.runtime;
  const bound = runtime ? ` on ${runtime.host}:${runtime.name ?? runtime.id}` : '';
  return new AppFailure({
    kind: 'conflict',
    message: `${key} is ${claim.ticket.state}${bound}; only a todo ticket is picked up`,
    hint: `to pick it up anew: control-room tickets set-state ${key} todo`,
  });
}
