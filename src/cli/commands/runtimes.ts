import type { Command } from 'commander';
import type { LocalTmuxDriver } from '../../adapters/tmux/local-driver.js';
import { TmuxError } from '../../adapters/tmux/tmux-client.js';
import type { ClosedRuntime } from '../../adapters/tmux/worktree.js';
import {
  AppFailure,
  adviceFor,
  isoNow,
  type Runtime,
  runtimeStateLabel,
  type SendError,
  SendFailure,
  sanitizeLine,
} from '../../domain/index.js';
import type { BindingRow } from '../../services/dispatch/ports.js';
import { bindStartedRuntime } from '../../services/runtime-binding.js';
import { findRuntime } from '../../services/runtime-lookup.js';
import { shortAge } from '../../ui/components/ticket-columns.js';
import type { CliContext } from '../context.js';
import { openLocalDriver } from '../drivers.js';
import { worktreeReport } from '../format/worktree-text.js';
import { say, write, writeJson } from '../output.js';
import { terminalSize } from '../terminal-size.js';
import { type TerminalText, term, termBlock, termTable } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';
import { registerRuntimeInputCommands } from './runtime-input.js';

/** The local driver for one command; tmux failures become typed ones with their advice. */
async function withDriver<T>(
  ctx: CliContext,
  work: (driver: LocalTmuxDriver) => Promise<T>,
): Promise<T> {
  const handle = await openLocalDriver(ctx);
  try {
    return await work(handle.driver);
  } catch (error) {
    if (error instanceof TmuxError) {
      throw new AppFailure({
        kind: error.problem === 'not_found' ? 'not_found' : 'usage',
        message: error.message,
        ...(error.problem === 'missing' ? { hint: 'install tmux 3.2 or later' } : {}),
      });
    }
    throw error;
  } finally {
    handle.stop();
  }
}

interface HostListing {
  host: string;
  runtimes: Runtime[];
  error: SendError | null;
}

/** The local runtimes and every configured host's, each host read at once and on its own. */
async function listEveryHost(ctx: CliContext, only?: string): Promise<HostListing[]> {
  const repo = ctx.hosts();
  const hosts = repo.list().filter((h) => only === undefined || h.name === only);
  if (only !== undefined && only !== 'local' && hosts.length === 0) {
    throw new AppFailure({
      kind: 'not_found',
      message: `no host ${only}`,
      hint: 'control-room hosts list shows them',
    });
  }
  const local: Promise<HostListing>[] =
    only === undefined || only === 'local'
      ? [
          withDriver(ctx, async (driver) => ({
            host: 'local',
            runtimes: await driver.list(),
            error: null,
          })),
        ]
      : [];
  const remote = hosts.map(async (h): Promise<HostListing> => {
    const driver = await ctx.hostDriver(h, 5000);
    try {
      return { host: h.name, runtimes: await driver.list(), error: null };
    } catch (error) {
      if (error instanceof SendFailure) return { host: h.name, runtimes: [], error: error.error };
      throw error;
    }
  });
  return Promise.all([...local, ...remote]);
}

/**
 * Which ticket each runtime works on, from the database: a binding is made there by every
 * pickup (to a new runtime or one that exists, on any host) and outlives every process. A
 * session's own `@cr_ticket` (set when it was started for a ticket) is the fallback only.
 */
function boundTickets(ctx: CliContext): Map<string, BindingRow> {
  const bound = new Map<string, BindingRow>();
  for (const row of ctx.outbox().bindings()) {
    // The newest binding wins should two ever name one runtime (a moved-on ticket is unbound).
    bound.set(`${row.host}:${row.runtimeId}`, row);
  }
  return bound;
}

function runtimeTable(runtimes: readonly (Runtime & { host: string })[]): TerminalText {
  const header = [
    'HOST',
    'ID',
    'NAME',
    'PROFILE',
    'STATE',
    'UP',
    'ACTIVE',
    'TICKET',
    'COMMAND',
    'FOLDER',
  ];
  const now = Date.now();
  // Every cell is untrusted (a pane sets its own options; a host says what it likes).
  const rows = runtimes.map((r) => [
    r.host,
    r.id,
    r.name,
    r.profile ?? '-',
    runtimeStateLabel(r),
    shortAge(r.createdAt, now),
    `${shortAge(r.lastActivityAt, now)} ago`,
    r.ticket ?? '-',
    r.command,
    r.cwd,
  ]);
  return termTable(header, rows);
}

export function registerRuntimeCommands(program: Command, run: CommandRunner): void {
  const runtimes = program
    .command('runtimes')
    .description('the tmux runtimes: list, start, end, and text left in their input lines');

  runtimes
    .command('list')
    .description('every runtime of this machine and of every configured host, with its state')
    .option('--host <name>', 'only this host (local is this machine)')
    .action(
      run(async (ctx, opts: { host?: string }) => {
        const results = await listEveryHost(ctx, opts.host);
        const bound = boundTickets(ctx);
        const now = Date.now();
        const rows = results.flatMap((r) =>
          r.runtimes.map((runtime) => {
            const binding = bound.get(`${r.host}:${runtime.id}`);
            return {
              ...runtime,
              host: r.host,
              ticket: binding?.ticketKey ?? runtime.ticket,
              adopted: binding?.adopted ?? false,
              uptimeSeconds: Math.max(0, Math.round((now - Date.parse(runtime.createdAt)) / 1000)),
            };
          }),
        );
        const failing = results.filter((r) => r.error !== null);
        if (ctx.json) {
          // Each failing host is named with its kind, and hides nothing of the others.
          await writeJson(ctx.io, rows);
        } else if (rows.length === 0 && failing.length === 0) {
          await write(
            ctx.io.stderr,
            term`no runtimes; start one with \`control-room runtimes new --profile P\`\n`,
          );
        } else if (rows.length > 0) {
          await write(ctx.io.stdout, runtimeTable(rows));
        }
        for (const { host, error } of failing) {
          if (!error) continue;
          const status = error.status ? ` ${error.status}` : '';
          await say(
            ctx.io,
            term`host ${host}: ${error.kind}${status}: ${error.message}\n  ${adviceFor(error.kind)}`,
          );
        }
        return failing.length > 0 ? 1 : 0;
      }),
    );

  runtimes
    .command('new')
    .description('start a runtime: a detached tmux session running a profile')
    .requiredOption('--profile <profile>', 'codex, claude, aider, shell, or one from the config')
    .option('--name <name>', 'the session name (default: from the ticket or profile)')
    .option('--cwd <dir>', 'the working folder')
    .option('--worktree <repo>', 'make a fresh git worktree of this repository for it')
    .option('--ticket <key>', 'the ticket it is for')
    .action(
      run(
        async (
          ctx,
          opts: {
            profile: string;
            name?: string;
            cwd?: string;
            worktree?: string;
            ticket?: string;
          },
        ) => {
          if (opts.cwd && opts.worktree) {
            throw new AppFailure({ kind: 'usage', message: 'give --cwd or --worktree, not both' });
          }
          const size = terminalSize(ctx.io);
          // A runtime for a ticket is bound to it: one that is not here is refused first.
          if (opts.ticket !== undefined) requireTicket(ctx, opts.ticket);
          const runtime = await withDriver(ctx, (driver) =>
            driver.create({
              profile: opts.profile,
              ...(opts.name ? { name: opts.name } : {}),
              ...(opts.cwd ? { cwd: opts.cwd } : {}),
              ...(opts.worktree ? { worktree: { repo: opts.worktree } } : {}),
              ...(opts.ticket ? { ticket: opts.ticket } : {}),
              ...(size ? { size } : {}),
            }),
          );
          if (opts.ticket !== undefined) {
            const started = { runtime: { host: 'local', id: runtime.id, name: runtime.name } };
            bindStartedRuntime(
              ctx.outbox(),
              opts.ticket,
              { ...started, profile: opts.profile, cwd: runtime.cwd },
              isoNow(),
            );
          }
          if (ctx.json) return writeJson(ctx.io, { ...runtime, host: 'local', adopted: false });
          await write(ctx.io.stdout, term`${runtime.id}  ${runtime.name}  ${runtime.cwd}\n`);
        },
      ),
    );

  runtimes
    .command('close')
    .description('end a runtime (kills its tmux session; removes its worktree unless changed)')
    .argument('<runtime>', 'its id or name, or HOST:ID or HOST:NAME (runtimes list)')
    .action(run((ctx, given: string) => closeRuntime(ctx, given)));

  registerRuntimeInputCommands(runtimes, run, listEveryHost);
}

/** Refuses a ticket key this database does not hold, before anything is started. */
function requireTicket(ctx: CliContext, key: string): void {
  if (ctx.tickets().get(key) !== undefined) return;
  throw new AppFailure({
    kind: 'not_found',
    message: `no ticket ${sanitizeLine(key)}; nothing was started`,
    hint: 'control-room tickets list shows them; tickets add --key KEY --title T adds one',
  });
}

/** Closes the one runtime `given` names, on whichever host has it, and says what it left. */
async function closeRuntime(ctx: CliContext, given: string): Promise<number> {
  const colon = given.indexOf(':');
  const listed = await listEveryHost(ctx, colon === -1 ? undefined : given.slice(0, colon));
  const { host, runtime } = findRuntime(
    listed.map((h) => ({ host: h.host, runtimes: h.runtimes, failed: h.error !== null })),
    given,
  );
  let closed: ClosedRuntime = { worktree: null };
  if (host === 'local') {
    closed = await withDriver(ctx, (driver) => driver.closeAndRelease(runtime.id));
  } else {
    const record = ctx.hosts().get(host);
    if (record) await (await ctx.hostDriver(record)).close(runtime.id);
  }
  if (ctx.json) {
    await writeJson(ctx.io, { host, id: runtime.id, name: runtime.name, closed: true, ...closed });
    return 0;
  }
  await write(ctx.io.stdout, term`closed ${host}:${runtime.id} (${runtime.name})\n`);
  if (closed.worktree) await write(ctx.io.stdout, termBlock(worktreeReport(closed.worktree)));
  return 0;
}
