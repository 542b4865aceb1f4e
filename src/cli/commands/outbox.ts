import type { Command } from 'commander';
import { AppFailure, MESSAGE_STATES, type MessageState } from '../../domain/index.js';
import { shortAge } from '../../ui/components/ticket-columns.js';
import type { CliContext } from '../context.js';
import { withDispatcher } from '../dispatching.js';
import { say, write, writeJson } from '../output.js';
import { type TerminalText, term, termTable } from '../terminal-text.js';
import { outcomeText, PICKUP_EXIT } from './pickup.js';
import type { CommandRunner } from './runner.js';

function outboxTable(ctx: CliContext, state: MessageState | undefined): TerminalText {
  const now = Date.now();
  const rows = ctx
    .outbox()
    .list(state)
    .map((m) => [
      m.id,
      m.ticketKey,
      `${m.host}:${m.runtimeName ?? m.runtimeId}`,
      m.sendingBy ? 'sending' : m.state,
      String(m.attempts),
      m.error ?? '-',
      `${shortAge(m.updatedAt, now)} ago`,
    ]);
  return termTable(['ID', 'TICKET', 'RUNTIME', 'STATE', 'TRIES', 'ERROR', 'CHANGED'], rows);
}

export function registerOutboxCommands(program: Command, run: CommandRunner): void {
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
        if (messages.length === 0) return say(ctx.io, term`the outbox is empty`);
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
          await write(ctx.io.stdout, term`cancelled ${id} (${ticket.key})\n`);
        }),
      ),
    );
  outbox
    .command('retry')
    .description(
      'send an unknown or failed message again, with its first idempotency key; an unknown one only when the runtime shows no sign of it',
    )
    .argument('<id>', 'the message id (outbox list)')
    .option('--attempts <n>', 'attempts of the send, the first included (config sendAttempts)')
    .option('--force', 'type it even if the runtime may have it already (a key of its own)')
    .action(
      run(async (ctx, id: string, opts: { attempts?: string; force?: boolean }) => {
        const outcome = await withDispatcher(ctx, 'retry', opts, (dispatcher) =>
          dispatcher.resend(id, { force: opts.force === true }),
        );
        if (ctx.json)
          await writeJson(ctx.io, ctx.tickets().get(outcome.ticket.key) ?? outcome.ticket);
        if (outcome.kind !== 'delivered') await say(ctx.io, outcomeText(outcome));
        else if (!ctx.json) await write(ctx.io.stdout, term`${outcomeText(outcome)}\n`);
        if (outcome.kind === 'failed' && outcome.error.kind === 'post_send' && !opts.force) {
          // Typed before, or maybe: only the operator, looking at the agent, can tell.
          await say(
            ctx.io,
            term`  delivery cannot be ruled out: look at the runtime; \`control-room outbox retry --force ${id}\` types it again`,
          );
        }
        return PICKUP_EXIT[outcome.kind];
      }),
    );
}
