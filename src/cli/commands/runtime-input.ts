import type { Command } from 'commander';
import {
  AppFailure,
  describeSendError,
  type Runtime,
  SendFailure,
  sanitizeLine,
} from '../../domain/index.js';
import { decisionText } from '../../services/dispatch/input-decision.js';
import { findRuntime } from '../../services/runtime-lookup.js';
import type { CliContext } from '../context.js';
import { withDispatcher } from '../dispatching.js';
import { write, writeJson } from '../output.js';
import { term } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';

/** Each host's runtimes as `runtimes list` reads them (runtimes.ts). */
export type ListHosts = (
  ctx: CliContext,
  only?: string,
) => Promise<{ host: string; runtimes: Runtime[]; error: unknown }[]>;

/**
 * `runtimes input submit|clear RUNTIME`: the operator's word on text left in an agent's input
 * line (`input not empty`), and on the unknown message it was.
 */
export function registerRuntimeInputCommands(
  runtimes: Command,
  run: CommandRunner,
  listHosts: ListHosts,
): void {
  const input = runtimes
    .command('input')
    .description("text left in an agent's input line (input not empty): submit or clear it");
  const actions = [
    ['submit', 'press Enter on it: the agent takes it as its prompt (its message is delivered)'],
    ['clear', 'empty the input line (its message can be sent again: outbox retry)'],
  ] as const;
  for (const [action, description] of actions) {
    input
      .command(action)
      .description(description)
      .argument('<runtime>', 'its id or name, or HOST:ID or HOST:NAME (runtimes list)')
      .action(run((ctx, given: string) => decide(ctx, given, action, listHosts)));
  }
}

async function decide(
  ctx: CliContext,
  given: string,
  action: 'submit' | 'clear',
  listHosts: ListHosts,
): Promise<number> {
  const colon = given.indexOf(':');
  const listed = await listHosts(ctx, colon === -1 ? undefined : given.slice(0, colon));
  const { host, runtime } = findRuntime(
    listed.map((h) => ({ host: h.host, runtimes: h.runtimes, failed: h.error !== null })),
    given,
  );
  const ref = { host, id: runtime.id, name: runtime.name };
  const decision = await withDispatcher(ctx, `input ${action}`, {}, (dispatcher) =>
    dispatcher.settleInput(ref, action),
  ).catch((error: unknown) => {
    if (!(error instanceof SendFailure)) throw error;
    const kind = error.error.kind === 'not_found' ? 'not_found' : 'conflict';
    throw new AppFailure({ kind, message: sanitizeLine(describeSendError(error.error)) });
  });
  if (ctx.json) {
    await writeJson(ctx.io, { ...decision, runtime: { ...decision.runtime, host } });
    return 0;
  }
  await write(ctx.io.stdout, term`${decisionText(decision)}\n`);
  return 0;
}
