import type { Command } from 'commander';
import { watchDatabaseChanges } from '../../adapters/db/change-watcher.js';
import {
  AppFailure,
  describeSendError,
  isoNow,
  MESSAGE_STATES,
  type MessageState,
  sanitizeLine,
} from '../../domain/index.js';
import type { DeliveryReport } from '../../services/dispatch/delivery.js';
import { DeliveryLoop } from '../../services/dispatch/delivery-loop.js';
import { shortAge } from '../../ui/components/ticket-columns.js';
import type { CliContext } from '../context.js';
import { withDispatcher } from '../dispatching.js';
import { say, write, writeJson } from '../output.js';
import type { CommandRunner } from './runner.js';

function reportLine(report: DeliveryReport): string {
  const { message, outcome } = report;
  const where = `${message.host}:${message.runtimeName ?? message.runtimeId}`;
  if (outcome.kind === 'delivered') return `${message.ticketKey} delivered to ${where}`;
  if (outcome.kind === 'adopted') return `${message.ticketKey}: ${where} is busy again; waiting`;
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
  return withDispatcher(ctx, 'dispatch', {}, async (dispatcher, drivers) => {
    const shown = new Set<string>();
    const loop = new DeliveryLoop({
      dispatcher,
      outbox: ctx.outbox(),
      drivers,
      intervalMs,
      onReport: (report) => {
        if (ctx.json) void writeJson(ctx.io, reportJson(report));
        else if (report.outcome.kind !== 'adopted')
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
    });
    if (opts.once) {
      const reports = await loop.runOnce();
      return reports.some((r) => r.outcome.kind === 'failed') ? 4 : 0;
    }
    const stopWatching = watchDatabaseChanges(ctx.database(), ctx.paths.databaseFile, () =>
      loop.poke(),
    );
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    if (!ctx.json) await say(ctx.io, `dispatching as ${dispatcher.holder}; Ctrl-C stops`);
    loop.start();
    await stopped;
    stopWatching();
    await loop.stop();
    return 0;
  });
}

function outboxTable(ctx: CliContext, state: MessageState | undefined): string {
  const now = Date.now();
  const rows = ctx
    .outbox()
    .list(state)
    .map((m) => [
      m.id,
      sanitizeLine(m.ticketKey),
      sanitizeLine(`${m.host}:${m.runtimeName ?? m.runtimeId}`),
      m.sendingBy ? 'sending' : m.state,
      String(m.attempts),
      m.error ?? '-',
      `${shortAge(m.updatedAt, now)} ago`,
    ]);
  const header = ['ID', 'TICKET', 'RUNTIME', 'STATE', 'TRIES', 'ERROR', 'CHANGED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return `${[header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
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

  const outbox = program.command('outbox').description('the messages on their way to runtimes');
  outbox
    .command('list', { isDefault: true })
    .description('every message, oldest first')
    .option('--state <state>', `only these: ${MESSAGE_STATES.join(', ')}`)
    .action(
      run(async (ctx, opts: { state?: string }) => {
        const state = opts.state;
        if (state !== undefined && !(MESSAGE_STATES as readonly string[]).includes(state)) {
          throw new AppFailure({
            kind: 'usage',
            message: `--state ${state}: expected one of ${MESSAGE_STATES.join(', ')}`,
          });
        }
        const filter = state as MessageState | undefined;
        if (ctx.json)
          return writeJson(
            ctx.io,
            ctx
              .outbox()
              .list(filter)
              .map(({ text, ...m }) => m),
          );
        const messages = ctx.outbox().list(filter);
        if (messages.length === 0) return say(ctx.io, 'the outbox is empty');
        await write(ctx.io.stdout, outboxTable(ctx, filter));
      }),
    );
  outbox
    .command('cancel')
    .description('stop a waiting message; its adopted ticket goes back to todo')
    .argument('<id>', 'the message id (outbox list)')
    .action(
      run(async (ctx, id: string) =>
        withDispatcher(ctx, 'cancel', {}, async (dispatcher) => {
          const ticket = dispatcher.cancel(id, dispatcher.holder);
          if (ctx.json) return writeJson(ctx.io, ticket);
          await write(
            ctx.io.stdout,
            `cancelled ${sanitizeLine(id)} (${sanitizeLine(ticket.key)})\n`,
          );
        }),
      ),
    );
}
