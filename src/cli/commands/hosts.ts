import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { sshDestinationProblem } from '../../adapters/pty/remote-attach.js';
import { AppFailure, isoNow, sanitizeLine } from '../../domain/index.js';
import { write, writeJson } from '../output.js';
import { term } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';

const NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

function usage(message: string, hint?: string): AppFailure {
  return new AppFailure({ kind: 'usage', message, ...(hint ? { hint } : {}) });
}

/** An http(s) address with a host and nothing after the path: where the /v1 API lives. */
export function parseHostUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(`"${text}" is not an address`, 'e.g. http://buildbox:7420');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usage(`"${text}" is not http or https`);
  }
  if (url.username || url.password) {
    throw usage('put the token in --token-file, not in the address');
  }
  if (url.search || url.hash) throw usage('the address takes no query or fragment');
  return url.toString().replace(/\/$/, '');
}

/** `--ssh`: where the host's tmux is reached for an attach (an argument of ssh, so strict). */
export function parseSshDestination(text: string): string {
  const problem = sshDestinationProblem(text);
  if (problem !== null) throw usage(`--ssh "${sanitizeLine(text)}": ${problem}`);
  return text;
}

async function readToken(file: string, stdin: NodeJS.ReadableStream): Promise<string> {
  let text: string;
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      text = await readFile(file, 'utf8');
    }
  } catch (error) {
    throw new AppFailure({
      kind: 'input',
      file,
      field: '--token-file',
      message: `cannot read the file (${(error as Error).message})`,
    });
  }
  const token = text.trim();
  if (!token || /\s/.test(token)) {
    throw new AppFailure({
      kind: 'input',
      file,
      field: '--token-file',
      message: 'expected one token on one line',
    });
  }
  return token;
}

export function registerHostsCommands(program: Command, run: CommandRunner): void {
  const hosts = program.command('hosts').description('the runtime hosts this control room reads');

  hosts
    .command('add')
    .description('add (or update) a runtime host; its token is kept in the state folder, mode 0600')
    .argument('<name>', 'a short name: a-z, 0-9, "-" (local is this machine)')
    .argument('<url>', 'where its host serve listens, e.g. http://buildbox:7420')
    .option('--token-file <file>', 'a file holding its token (- for standard input)')
    .option('--ssh <destination>', 'where to reach its tmux to attach: user@box (ssh -t … tmux)')
    .action(
      run(
        async (ctx, name: string, urlText: string, opts: { tokenFile?: string; ssh?: string }) => {
          if (!NAME.test(name)) {
            throw usage(`"${name}" is not a host name`, 'use a-z, 0-9 and "-"');
          }
          if (name === 'local') {
            throw usage('"local" is this machine\'s own tmux; pick another name');
          }
          const url = parseHostUrl(urlText);
          const ssh = opts.ssh === undefined ? null : parseSshDestination(opts.ssh);
          const token = opts.tokenFile ? await readToken(opts.tokenFile, ctx.io.stdin) : null;
          await ctx.hosts().save({ name, url, createdAt: isoNow(), ssh }, token);
          if (ctx.json) return writeJson(ctx.io, { name, url, ssh, token: token !== null });
          const extras = [token ? 'with a token' : '', ssh ? `ssh ${ssh}` : ''].filter(Boolean);
          const extra = extras.length ? ` (${extras.join(', ')})` : '';
          await write(ctx.io.stdout, term`added ${name} ${url}${extra}\n`);
        },
      ),
    );

  hosts
    .command('list')
    .description('the configured hosts (tokens are never shown)')
    .action(
      run(async (ctx) => {
        const repo = ctx.hosts();
        const list = await Promise.all(
          repo.list().map(async (h) => ({
            ...h,
            ssh: h.ssh ?? null,
            token: (await repo.token(h.name)) !== null,
          })),
        );
        if (ctx.json) return writeJson(ctx.io, list);
        if (list.length === 0) {
          return write(
            ctx.io.stderr,
            term`no hosts; add one with \`control-room hosts add NAME URL --token-file F\`\n`,
          );
        }
        for (const h of list) {
          const ssh = h.ssh ? term`  ssh ${h.ssh}` : '';
          await write(
            ctx.io.stdout,
            term`${h.name}  ${h.url}  ${h.token ? 'token' : 'no token'}${ssh}\n`,
          );
        }
      }),
    );

  hosts
    .command('remove')
    .description('forget a host and its token')
    .argument('<name>', 'the host name')
    .action(
      run(async (ctx, name: string) => {
        if (!(await ctx.hosts().remove(name))) {
          throw new AppFailure({
            kind: 'not_found',
            message: `no host ${sanitizeLine(name)}`,
            hint: 'control-room hosts list shows them',
          });
        }
        if (ctx.json) return writeJson(ctx.io, { name, removed: true });
        await write(ctx.io.stdout, term`removed ${name}\n`);
      }),
    );
}
