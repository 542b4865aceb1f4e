import type { Command } from 'commander';
import { watchDatabaseChanges } from '../../adapters/db/change-watcher.js';
import { AppFailure, describeSendError, isoNow, sanitizeLine } from '../../domain/index.js';
import type {
  DeliveryReport,
  WaitingReport,
  WaitReason,
} from '../../services/dispatch/delivery.js';
import { DeliveryLoop } from '../../services/dispatch/delivery-loop.js';
import type { CliContext } from '../context.js';
import { withDispatcher } from '../dispatching.js';
import { say, write, writeJson } from '../output.js';
import type { CommandRunner } from './runner.js';

function reportLine(report: DeliveryReport): string {
  const { message, outcome } = report;
  const where = `${message.host}:${message.runtimeName ?? message.runtimeId}`;
  if (outcome.kind === 'delivered') return `${message.ticketKey} delivered to ${where}`;
  // A redelivery answered busy waits, adopted or queued alike (one is never made here).
  if (outcome.kind === 'adopted' || outcome.kind === 'queued')
    return `${message.ticketKey}: ${where} is busy again; waiting`;
  return `${message.ticketKey} to ${where} failed: ${describeSendError(outcome.error)}`;
}

function reportJson(report: DeliveryReport) {
  const { message, outcome } = report;
  return {
    at: isoNow(),
    ticket: message.ticketKey,
    message: message.id,
    runtime: `${message.host}:${message.runtimeId}`,
    outcome: outcome.kind,
    error: outcome.kind === 'failed' ? outcome.error.kind : null,
  };
}

/** Why a message still waits, in words (`--once`'s summary). */
function waitText(reason: WaitReason): string {
  switch (reason.kind) {
    case 'runtime':
      return reason.state === 'unknown'
        ? 'its state cannot be told'
        : reason.state.replace('_', ' ');
    case 'host':
      return `its host cannot be read (${reason.detail})`;
    case 'behind':
      return `behind ${reason.ticketKey}, sent to the same runtime just now`;
    case 'leased':
      return 'another dispatcher is sending it';
  }
}

/** The same reason as one word for `--json`. */
function waitCode(reason: WaitReason): string {
  if (reason.kind === 'runtime') return reason.state;
  return { host: 'host_unreadable', behind: 'behind', leased: 'sending_elsewhere' }[reason.kind];
}

function waitingJson({ message, reason }: WaitingReport) {
  return {
    at: isoNow(),
    ticket: message.ticketKey,
    message: message.id,
    runtime: `${message.host}:${message.runtimeId}`,
    outcome: 'waiting',
    reason: waitCode(reason),
  };
}

/** What one pass did, and each message it left waiting with why: `dispatch --once`. */
function onceSummary(reports: DeliveryReport[], waiting: WaitingReport[]): string {
  if (reports.length === 0 && waiting.length === 0) return 'nothing waits in the outbox\n';
  const count = (kind: string) => reports.filter((r) => r.outcome.kind === kind).length;
  const busyAgain = count('adopted');
  let text = `delivered ${count('delivered')}, failed ${count('failed')}`;
  if (busyAgain > 0) text += `, ${busyAgain} found the runtime busy again (still waiting)`;
  text += '\n';
  if (waiting.length === 0) return text;
  text +=
    `${waiting.length} message${waiting.length === 1 ? '' : 's'} waiting ` +
    '(delivered once the runtime is idle, by a running control room or `control-room dispatch`):\n';
  for (const { message, runtimeName, reason } of waiting) {
    const where = `${message.host}:${runtimeName ?? message.runtimeId}`;
    text += `${sanitizeLine(`  ${message.ticketKey} on ${where} — ${waitText(reason)}`)}\n`;
  }
  return text;
}

async function runDispatch(
  ctx: CliContext,
  opts: { once?: boolean; interval?: string },
): Promise<number> {
  const intervalMs = opts.interval === undefined ? 1000 : Number(opts.interval);
  if (!Number.isInteger(intervalMs) || intervalMs < 100 || intervalMs > 60_000) {
    throw new AppFailure({
      kind: 'usage',
      message: `--interval ${opts.interval}: expected milliseconds from 100 to 60000`,
    });
  }
  return withDispatcher(ctx, 'dispatch', { live: !opts.once }, async (dispatcher, drivers) => {
    const shown = new Set<string>();
    const waiting: WaitingReport[] = [];
    const loop = new DeliveryLoop({
      dispatcher,
      outbox: ctx.outbox(),
      drivers,
      intervalMs,
      onReport: (report) => {
        if (ctx.json) void writeJson(ctx.io, reportJson(report));
        else if (report.outcome.kind !== 'adopted' && report.outcome.kind !== 'queued')
          void write(ctx.io.stdout, `${reportLine(report)}\n`);
      },
      onHostProblem: ({ host, message }) => {
        // Once per host and problem: a host down for an hour is not a line a second.
        const key = `${host}\n${message}`;
        if (shown.has(key)) return;
        shown.add(key);
        void say(ctx.io, `host ${host}: ${message}; its messages wait`);
      },
      onError: (error) => void say(ctx.io, `a delivery pass failed: ${String(error)}`),
      // Collected for `--once`'s summary; a running dispatcher only reports what it did.
      ...(opts.once ? { onWaiting: (w: WaitingReport) => void waiting.push(w) } : {}),
    });
    if (opts.once) {
      const reports = await loop.runOnce();
      if (ctx.json) for (const w of waiting) await writeJson(ctx.io, waitingJson(w));
      else await write(ctx.io.stdout, onceSummary(reports, waiting));
      return reports.some((r) => r.outcome.kind === 'failed') ? 4 : 0;
    }
    const stopWatching = watchDatabaseChanges(ctx.database(), ctx.paths.databaseFile, () =>
      loop.poke(),
    );
    // `on`, not `once`: execa's signal-exit re-raises a signal it sees no other handler for,
    // and a `once` handler has removed itself by then, so the process would die mid-delivery.
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (!ctx.json) await say(ctx.io, `dispatching as ${dispatcher.holder}; Ctrl-C stops`);
    loop.start();
    await stopped;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stopWatching();
    await loop.stop();
    return 0;
  });
}

export function registerDispatchCommands(program: Command, run: CommandRunner): void {
  program
    .command('dispatch')
    .description(
      'the dispatcher alone, without a screen: delivers waiting messages as runtimes turn idle',
    )
    .option('--once', 'one pass over the outbox, then exit (4 when a send failed)')
    .option('--interval <ms>', 'how often runtimes are looked at while messages wait', '1000')
    .action(run(runDispatch));
}
