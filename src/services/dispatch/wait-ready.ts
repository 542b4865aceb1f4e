import { setTimeout as sleep } from 'node:timers/promises';
import {
  looksReady,
  type RuntimeDriver,
  type RuntimeState,
  type SendError,
} from '../../domain/index.js';

const POLL_MS = 250;

export type ReadyResult = { ok: true; state: RuntimeState } | { ok: false; error: SendError };

/**
 * Polls a new runtime until its agent is ready for a prompt, or the deadline passes. Idle (or quiet) is
 * ready; busy or waiting for an answer (a trust prompt, say) is live, so the send goes ahead and
 * its busy answer adopts the runtime. An agent that exits, or stays starting, is a failure.
 */
export async function waitUntilReady(
  driver: RuntimeDriver,
  id: string,
  timeoutMs: number,
  onWait: (state: string) => void,
): Promise<ReadyResult> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last: RuntimeState | 'missing' = 'missing';
  let lastShown = 0;
  for (;;) {
    const runtime = await driver.list().then(
      (list) => list.find((r) => r.id === id),
      () => undefined,
    );
    last = runtime?.state ?? 'missing';
    if (runtime && looksReady(runtime, Date.now())) return { ok: true, state: runtime.state };
    if (last === 'exited') {
      return failure('not_found', `the agent in ${runtime?.name ?? id} exited before it was ready`);
    }
    const now = Date.now();
    if (now >= deadline) {
      if (last === 'busy' || last === 'needs_input') return { ok: true, state: last };
      const seconds = Math.round(timeoutMs / 1000);
      return {
        ok: false,
        error: {
          kind: 'timeout',
          host: driver.host,
          status: null,
          message: `${runtime?.name ?? id} was not ready after ${seconds} s (it is ${last}); it is left running`,
          bodySent: false,
        },
      };
    }
    if (now - lastShown >= 1000) {
      lastShown = now;
      onWait(`${last}, ${((now - started) / 1000).toFixed(0)} s`);
    }
    await sleep(POLL_MS);
  }

  function failure(kind: 'not_found', message: string): ReadyResult {
    return { ok: false, error: { kind, host: driver.host, status: null, message } };
  }
}
