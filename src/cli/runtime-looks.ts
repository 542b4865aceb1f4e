import type { HostLook, Runtime, Ticket } from '../domain/index.js';
import type { CliContext } from './context.js';
import { openLocalDriver } from './drivers.js';

/**
 * One look at each host a working ticket (in progress, needs input) is bound to, so `tickets
 * list` and `tickets show` can say when its runtime is gone. Hosts are read at once; a ticket
 * list with nothing bound reads no host at all, and a failing host is reported, never thrown.
 */
export async function lookAtBoundHosts(
  ctx: CliContext,
  tickets: readonly Ticket[],
): Promise<Map<string, HostLook>> {
  const hosts = new Set<string>();
  for (const ticket of tickets) {
    const working = ticket.state === 'in_progress' || ticket.state === 'needs_input';
    if (working && ticket.runtime) hosts.add(ticket.runtime.host);
  }
  const looks = new Map<string, HostLook>();
  await Promise.all(
    [...hosts].map(async (host) => {
      looks.set(host, await lookAt(ctx, host));
    }),
  );
  return looks;
}

/** A list read from a host within a few seconds, or why it could not be. */
const LOOK_TIMEOUT_MS = 5_000;

async function lookAt(ctx: CliContext, host: string): Promise<HostLook> {
  try {
    const runtimes = host === 'local' ? await listLocal(ctx) : await listRemote(ctx, host);
    return { ok: true, runtimes: new Map(runtimes.map((r) => [r.id, r.state])) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

async function listLocal(ctx: CliContext): Promise<Runtime[]> {
  const handle = await openLocalDriver(ctx);
  try {
    return await handle.driver.list();
  } finally {
    handle.stop();
  }
}

async function listRemote(ctx: CliContext, host: string): Promise<Runtime[]> {
  const record = ctx.hosts().get(host);
  if (!record) throw new Error('not configured here (control-room hosts list shows the hosts)');
  return (await ctx.hostDriver(record, LOOK_TIMEOUT_MS)).list();
}
