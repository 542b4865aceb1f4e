import type { RuntimeDriver, RuntimeSpec } from '../../domain/driver.js';
import type { RuntimeRef } from '../../domain/index.js';
import { AppFailure, type SendError, SendFailure } from '../../domain/index.js';

/** Where a pickup sends its ticket: a runtime that exists, or one started for it. */
export type PickupTarget =
  | { kind: 'existing'; host: string; runtime: string }
  | { kind: 'new'; host: string; spec: Omit<RuntimeSpec, 'ticket'> };

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `[HOST:]ID`: the machine's own tmux is the host `local`. The id is a runtime id or, on any
 * host, a session name.
 */
export function parseRuntimeTarget(text: string): { host: string; runtime: string } {
  const colon = text.indexOf(':');
  const host = colon === -1 ? 'local' : text.slice(0, colon);
  const runtime = colon === -1 ? text : text.slice(colon + 1);
  if (!HOST_NAME.test(host) || runtime.trim() === '') {
    throw new AppFailure({
      kind: 'usage',
      message: `--runtime ${JSON.stringify(text)}: expected [HOST:]ID, e.g. rt_3_m1x2 or buildbox:rt_3_m1x2`,
    });
  }
  return { host, runtime };
}

/** Any failure of a step before the send, in the send table's words (`runtime-api.md`). */
export function asSendError(error: unknown, host: string): SendError {
  if (error instanceof SendFailure) return error.error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AppFailure) {
    const kind = error.error.kind;
    if (kind === 'not_found') return { kind: 'not_found', host, status: null, message };
    if (kind === 'usage' || kind === 'input' || kind === 'config') {
      return { kind: 'invalid', host, status: null, message };
    }
  }
  const problem = (error as { problem?: unknown } | null)?.problem;
  if (problem === 'not_found') return { kind: 'not_found', host, status: null, message };
  if (problem === 'missing' || problem === 'no_server') {
    return { kind: 'unreachable', host, status: null, message };
  }
  if (problem === 'timeout')
    return { kind: 'timeout', host, status: null, message, bodySent: false };
  if (/unknown profile/.test(message)) return { kind: 'invalid', host, status: null, message };
  return { kind: 'server', host, status: null, message };
}

/** A runtime named by its id, or by its session name (looked up in the host's list). */
export async function resolveRuntime(driver: RuntimeDriver, given: string): Promise<RuntimeRef> {
  if (/^rt_/.test(given)) return { host: driver.host, id: given, name: null };
  const found = await driver.list().then(
    (list) => list.find((r) => r.name === given || r.id === given),
    () => undefined,
  );
  // Not found: the send itself answers not_found, and that is recorded like any failure.
  return found
    ? { host: driver.host, id: found.id, name: found.name }
    : { host: driver.host, id: given, name: null };
}
