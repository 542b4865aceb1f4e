import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  AppFailure,
  decodeUtf8,
  draftTooLong,
  formatLocation,
  isoNow,
  isSeverity,
  isTicketState,
  isValidTicketKey,
  KEY_RULE,
  notUtf8Message,
  presenceOf,
  SEVERITIES,
  type Severity,
  TICKET_STATES,
  type Ticket,
  type TicketDraft,
  type TicketState,
  type Utf8Result,
} from '../../domain/index.js';
import { importTicketFiles } from '../../services/import/import-files.js';
import { applyStateChange } from '../../services/ticket-state.js';
import { ticketDetail, ticketTable } from '../format/ticket-text.js';
import { print, say, write, writeJson, writeJsonArray } from '../output.js';
import { lookAtBoundHosts } from '../runtime-looks.js';
import { term, termBlock } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';

function usage(message: string, hint?: string): AppFailure {
  return new AppFailure({ kind: 'usage', message, ...(hint ? { hint } : {}) });
}

function parseState(value: string, label = 'state'): TicketState {
  if (!isTicketState(value)) {
    throw usage(`unknown ${label} "${value}"`, `one of: ${TICKET_STATES.join(', ')}`);
  }
  return value;
}

function parseSeverityOption(value: string): Severity {
  const lower = value.toLowerCase();
  if (!isSeverity(lower)) {
    throw usage(`unknown severity "${value}"`, `one of: ${SEVERITIES.join(', ')}`);
  }
  return lower;
}

function notFound(key: string): AppFailure {
  return new AppFailure({
    kind: 'not_found',
    message: `no ticket ${key}`,
    hint: 'control-room tickets list shows the keys',
  });
}

async function readBody(file: string, stdin: NodeJS.ReadableStream): Promise<string> {
  let decoded: Utf8Result;
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
      decoded = decodeUtf8(Buffer.concat(chunks));
    } else {
      decoded = decodeUtf8(await readFile(file));
    }
  } catch (error) {
    throw new AppFailure({
      kind: 'input',
      file,
      field: '--body-file',
      message: `cannot read the file (${(error as Error).message})`,
    });
  }
  if (decoded.ok) return decoded.text;
  const { line } = decoded;
  throw new AppFailure({ kind: 'input', file, line, message: notUtf8Message(decoded) });
}

/** The options of `tickets add` that are ticket text, by the field each one fills. */
const TEXT_OPTIONS = {
  title: '--title',
  body: '--body',
  suggestedFix: '--fix',
  location: '--location',
  owner: '--owner',
} as const;

/** Refuses a ticket's text over the limits of `cli.md`, naming the option that gave it. */
function checkLimits(draft: TicketDraft, bodyFile: string | undefined): void {
  const tooLong = draftTooLong(draft)[0];
  if (tooLong === undefined) return;
  const { field, message } = tooLong;
  if (field === 'body' && bodyFile !== undefined) {
    throw new AppFailure({ kind: 'input', file: bodyFile, field: '--body-file', message });
  }
  const option = TEXT_OPTIONS[field as keyof typeof TEXT_OPTIONS] ?? field;
  throw new AppFailure({ kind: 'input', field: option, message });
}

export function registerTicketCommands(program: Command, run: CommandRunner): void {
  const tickets = program.command('tickets').description('list, add, import and move tickets');

  tickets
    .command('list')
    .description('tickets, newest first')
    .option('--state <state>', `only tickets in this state (${TICKET_STATES.join(', ')})`)
    .action(
      run(async (ctx, opts: { state?: string }) => {
        const state = opts.state === undefined ? undefined : parseState(opts.state);
        const filter = state === undefined ? {} : { state };
        if (ctx.json) return writeJsonArray(ctx.io, ctx.tickets().jsonFragments(filter));
        const list = ctx.tickets().list(filter);
        if (list.length === 0) {
          const hint = 'add one with `control-room tickets add --title T` or `tickets import FILE`';
          return write(ctx.io.stderr, term`no tickets${state ? ` in ${state}` : ''}; ${hint}\n`);
        }
        const width = ctx.io.stdout.isTTY ? ctx.io.stdout.columns : undefined;
        const looks = await lookAtBoundHosts(ctx, list);
        const presence = (t: Ticket) =>
          presenceOf(t, t.runtime ? looks.get(t.runtime.host) : undefined);
        await write(ctx.io.stdout, termBlock(ticketTable(list, width, presence)));
      }),
    );

  tickets
    .command('add')
    .description('add one ticket; prints its key')
    .requiredOption('--title <title>', 'what is wrong, in one line')
    .option('--severity <severity>', `${SEVERITIES.join(' | ')} (default medium)`)
    .option('--body <text>', 'the issue, in full')
    .option('--body-file <file>', 'read the body from a file (- for standard input)')
    .option('--fix <text>', 'the suggested fix')
    .option('--location <location>', 'where, e.g. src/pickup.ts:120')
    .option('--owner <owner>', 'who holds it')
    .option('--key <key>', 'the key; assigned as <PREFIX>-<n> when left out')
    .action(
      run(async (ctx, opts: Record<string, string | undefined>) => {
        if (opts.body !== undefined && opts.bodyFile !== undefined) {
          throw usage('give --body or --body-file, not both');
        }
        const title = (opts.title ?? '').trim();
        if (!title) throw usage('the title is empty', 'give --title "what is wrong"');
        if (opts.key !== undefined && !isValidTicketKey(opts.key)) {
          throw usage(`the key "${opts.key}" is not valid`, `a key is ${KEY_RULE}`);
        }
        const body =
          opts.bodyFile !== undefined ? await readBody(opts.bodyFile, ctx.io.stdin) : opts.body;
        const draft: TicketDraft = {
          title,
          ...(opts.key !== undefined ? { key: opts.key } : {}),
          ...(opts.severity !== undefined ? { severity: parseSeverityOption(opts.severity) } : {}),
          ...(body !== undefined ? { body } : {}),
          suggestedFix: opts.fix ?? null,
          location: opts.location ?? null,
          owner: opts.owner ?? null,
        };
        checkLimits(draft, opts.bodyFile);
        const ticket = ctx.tickets().add(draft, isoNow());
        if (ctx.json) return writeJson(ctx.io, ticket);
        await write(ctx.io.stdout, term`${ticket.key}\n`);
      }),
    );

  tickets
    .command('import')
    .description('import JSON arrays, NDJSON or review-findings Markdown; all or nothing per file')
    .argument('<files...>', 'files to import')
    .action(
      run(async (ctx, files: string[]) => {
        const progress = ctx.io.stderr.isTTY && !ctx.json;
        const reports = await importTicketFiles(files, ctx.tickets(), isoNow, (event) => {
          if (progress && event.phase === 'writing') {
            print(ctx.io.stderr, term`${event.file}: writing ${event.records ?? 0} records…\n`);
          }
        });
        const failed = reports.filter((r) => r.problems.length > 0);
        if (ctx.json) {
          await writeJson(ctx.io, {
            imported: reports.reduce((n, r) => n + r.imported.length, 0),
            skipped: reports.reduce((n, r) => n + r.skipped.length, 0),
            failed: failed.length,
            files: reports,
          });
        } else {
          for (const r of reports) {
            if (r.problems.length > 0) continue;
            const skipped =
              r.skipped.length > 0 ? `, skipped ${r.skipped.length} already there` : '';
            await write(ctx.io.stdout, term`${r.file}: imported ${r.imported.length}${skipped}\n`);
          }
        }
        for (const r of failed) {
          for (const p of r.problems) {
            const where = formatLocation({
              file: r.file,
              ...(p.line > 0 ? { line: p.line } : {}),
              ...(p.field ? { field: p.field } : {}),
            });
            await say(ctx.io, term`${where}: ${p.message}`);
          }
          await say(ctx.io, term`${r.file}: nothing imported from this file`);
        }
        return failed.length > 0 ? 2 : 0;
      }),
    );

  tickets
    .command('show')
    .description('one ticket with its timeline')
    .argument('<key>', 'the ticket key')
    .action(
      run(async (ctx, key: string) => {
        const ticket = ctx.tickets().get(key);
        if (!ticket) throw notFound(key);
        if (ctx.json) return writeJson(ctx.io, ticket);
        const looks = await lookAtBoundHosts(ctx, [ticket]);
        const look = ticket.runtime ? looks.get(ticket.runtime.host) : undefined;
        await write(ctx.io.stdout, termBlock(ticketDetail(ticket, presenceOf(ticket, look))));
      }),
    );

  tickets
    .command('set-state')
    .description('move a ticket by hand')
    .argument('<key>', 'the ticket key')
    .argument('<state>', TICKET_STATES.join(' | '))
    .action(
      run(async (ctx, key: string, stateArg: string) => {
        const state = parseState(stateArg);
        const repo = ctx.tickets();
        const ticket = repo.get(key);
        if (!ticket) throw notFound(key);
        const { ticket: moved, events } = applyStateChange(ticket, state, isoNow());
        repo.save(moved, events);
        if (ctx.json) return writeJson(ctx.io, repo.get(moved.key));
        const change = events.length > 0 ? `${ticket.state} → ${moved.state}` : `already ${state}`;
        await write(ctx.io.stdout, term`${moved.key}: ${change}\n`);
      }),
    );
}
