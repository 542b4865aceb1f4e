import type { Command } from 'commander';
import {
  AppFailure,
  adviceFor,
  describeSendError,
  type SendErrorKind,
} from '../../domain/index.js';
import type { PickupOutcome } from '../../services/dispatch/dispatcher.js';
import { type PickupTarget, parseRuntimeTarget } from '../../services/dispatch/target.js';
import type { CliContext } from '../context.js';
import { withDispatcher } from '../dispatching.js';
import { say, write, writeJson } from '../output.js';
import { type TerminalText, term } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';

/**
 * `cli.md`: 0 delivered, 3 busy (adopted, or queued behind the ticket the runtime works on; the
 * message waits either way), 4 the send failed.
 */
export const PICKUP_EXIT = { delivered: 0, adopted: 3, queued: 3, failed: 4 } as const;

interface PickupOptions {
  runtime?: string;
  new?: string;
  host?: string;
  name?: string;
  cwd?: string;
  worktree?: string;
  attempts?: string;
  readyTimeout?: string;
}

function targetOf(opts: PickupOptions): PickupTarget {
  if ((opts.runtime === undefined) === (opts.new === undefined)) {
    throw new AppFailure({
      kind: 'usage',
      message: 'give --runtime [HOST:]ID or --new PROFILE (one of them)',
      hint: 'control-room runtimes list shows the runtimes; --new codex starts one',
    });
  }
  if (opts.runtime !== undefined) {
    for (const flag of ['name', 'cwd', 'worktree', 'host'] as const) {
      if (opts[flag] !== undefined) {
        throw new AppFailure({
          kind: 'usage',
          message: `--${flag} goes with --new, not --runtime`,
        });
      }
    }
    return { kind: 'existing', ...parseRuntimeTarget(opts.runtime) };
  }
  if (opts.cwd && opts.worktree) {
    throw new AppFailure({ kind: 'usage', message: 'give --cwd or --worktree, not both' });
  }
  return {
    kind: 'new',
    host: opts.host ?? 'local',
    spec: {
      profile: opts.new as string,
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.worktree ? { worktree: { repo: opts.worktree } } : {}),
    },
  };
}

/** What became of a pickup (or a retry), in words: every name in it is untrusted. */
export function outcomeText(outcome: PickupOutcome): TerminalText {
  const t = outcome.ticket;
  const where = t.runtime ? term`${t.runtime.host}:${t.runtime.name ?? t.runtime.id}` : '';
  const by = 'by a running control room or `control-room dispatch`';
  switch (outcome.kind) {
    case 'delivered':
      return term`${t.key} delivered to ${where} (${outcome.messageId})`;
    case 'adopted':
      return term`${t.key}: ${where} is busy, so it is adopted for ${t.key}; the message waits in the outbox and is delivered when the runtime is idle (${by})`;
    case 'queued': {
      const message = t.messages.find((m) => m.id === outcome.messageId);
      const on = message?.runtime ?? 'the runtime';
      const event = [...t.events].reverse().find((e) => e.type === 'runtime_queued');
      const why = event ? event.text : term`queued on ${on} after ${outcome.after}`;
      return term`${t.key}: ${why}; ${outcome.after} keeps the runtime until then, and ${t.key} is bound to it once delivered (${by})`;
    }
    case 'failed': {
      const advice =
        outcome.messageId === null
          ? 'nothing was sent; a runtime that did start is left running (control-room runtimes list)'
          : adviceFor(outcome.error.kind as SendErrorKind);
      return term`${t.key} was not delivered: ${describeSendError(outcome.error)}\n  ${advice}; the ticket is back in todo`;
    }
  }
}

export function registerPickupCommand(program: Command, run: CommandRunner): void {
  program
    .command('pickup')
    .description(
      'send a ticket to a runtime, or to a new one started for it (the TUI’s dispatcher)',
    )
    .argument('<key>', 'the ticket')
    .option('--runtime <[host:]id>', 'a runtime that exists: its id or session name')
    .option('--new <profile>', 'start a runtime with this profile for the ticket')
    .option('--host <name>', 'with --new: the host to start it on (default local)')
    .option('--name <name>', 'with --new: the session name')
    .option('--cwd <dir>', 'with --new: the working folder')
    .option('--worktree <repo>', 'with --new: a fresh git worktree of this repository')
    .option('--attempts <n>', 'attempts of the send, the first included (config sendAttempts)')
    .option('--ready-timeout <ms>', 'with --new: how long the agent may take to be ready')
    .action(
      run(async (ctx: CliContext, key: string, opts: PickupOptions) => {
        const target = targetOf(opts);
        // `cli.md`: a key that names no ticket is bad input (2), not a failed send.
        if (!ctx.tickets().get(key)) {
          throw new AppFailure({
            kind: 'input',
            field: 'KEY',
            message: `no ticket ${key}`,
            hint: 'control-room tickets list shows them',
          });
        }
        const outcome = await withDispatcher(ctx, 'pickup', opts, (dispatcher) =>
          dispatcher.pickup(key, target),
        );
        if (ctx.json) await writeJson(ctx.io, ctx.tickets().get(key) ?? outcome.ticket);
        if (outcome.kind === 'delivered') {
          if (!ctx.json) await write(ctx.io.stdout, term`${outcomeText(outcome)}\n`);
        } else {
          await say(ctx.io, outcomeText(outcome));
        }
        return PICKUP_EXIT[outcome.kind];
      }),
    );
}
