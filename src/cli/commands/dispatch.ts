import type { Command } from 'commander';
import { watchDatabaseChanges } from '../../adapters/db/change-watcher.js';
import { AppFailure, describeSendError, isoNow } from '../../domain/index.js';
import type {
  DeliveryReport,
  WaitingReport,
  WaitReason,
} from '../../services/dispatch/delivery.js';
import { DeliveryLoop } from '../../services/dispatch/delivery-loop.js';
import type { CliContext } from '../context.js';
import { withDispatcher } from '../dispatching.js';
import { say, write, writeJson } from '../output.js';
import { joinTerm, type TerminalText, term } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';

function reportLine(report: DeliveryReport): TerminalText {
  const { message, outcome } = report;
  const where = term`${message.host}:${message.runtimeName ?? message.runtimeId}`;
  if (outcome.kind === 'delivered') return term`${message.ticketKey} delivered to ${where}\n`;
  // A redelivery answered busy waits, adopted or queued alike (one is never made here).
  if (outcome.kind === 'adopted' || outcome.kind === 'queued')
    return term`${message.ticketKey}: ${where} is busy again; waiting\n`;
  return term`${message.ticketKey} to ${where} failed: ${describeSendError(outcome.error)}\n`;
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
    case 'input':
      return 'input not empty: text is left in its input line (runtimes input submit|clear NAME)';
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
  return {
    input: 'input_not_empty',
    host: 'host_unreadable',
    behind: 'behind',
    leased: 'sending_elsewhere',
  }[reason.kind];
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
function onceSummary(reports: DeliveryReport[], waiting: WaitingReport[]): TerminalText {
  if (reports.length === 0 && waiting.length === 0) return term`nothing waits in the outbox\n`;
  const count = (kind: string) => reports.filter((r) => r.outcome.kind === kind).length;
  const busyAgain = count('adopted');
  let text = `delivered ${count('delivered')}, failed ${count('failed')}`;
  if (busyAgain > 0) text += `, ${busyAgain} found the runtime busy again (still waiting)`;
  const lines = [term`${text}\n`];
  if (waiting.length > 0) {
    const messages = `${waiting.length} message${waiting.length === 1 ? '' : 's'}`;
    lines.push(
      term`${messages} waiting (delivered once the runtime is idle, by a running control room or \`control-room dispatch\`):\n`,
    );
  }
  for (const { message, runtimeName, reason } of waiting) {
    const where = `${message.host}:${runtimeName ?? message.runtimeId}`;
    lines.push(term`  ${message.ticketKey} on ${where} — ${waitText(reason)}\n`);
  }
  return joinTerm(lines);
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
          void write(ctx.io.stdout, reportLine(report));
      },
      onHostProblem: ({ host, message }) => {
        // Once per host and problem: a host down for an hour is not a line a second.
        const key = `${host}\n${message}`;
        if (shown.has(key)) return;
        shown.add(key);
        void say(ctx.io, term`host ${host}: ${message}; its messages wait`);
      },
      onError: (error) => void say(ctx.io, term`a delivery pass failed: ${String(error)}`),
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
    if (!ctx.json) await say(ctx.io, term`dispatching as ${dispatcher.holder}; Ctrl-C stops`);
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
