import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { markDamaged } from '../../adapters/db/damage.js';
import { openDatabase, writeRefusal } from '../../adapters/db/database.js';
import { databaseFailure, translateDatabaseError } from '../../adapters/db/db-errors.js';
import { quickCheck } from '../../adapters/db/integrity.js';
import { SCHEMA_VERSION } from '../../adapters/db/migrations.js';
import { findProgram, programOf, sessionPath } from '../../adapters/tmux/program-path.js';
import { TmuxClient } from '../../adapters/tmux/tmux-client.js';
import {
  AppFailure,
  appendAll,
  formatAppError,
  SendFailure,
  sanitize,
} from '../../domain/index.js';
import type { CliContext } from '../context.js';
import { profilesOf } from '../drivers.js';
import { write, writeJson } from '../output.js';
import { term, termBlock } from '../terminal-text.js';
import type { CommandRunner } from './runner.js';

const execFileAsync = promisify(execFile);

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  hint?: string;
}

async function checkNode(): Promise<Check> {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { name: 'node', status: 'ok', detail: process.versions.node }
    : {
        name: 'node',
        status: 'fail',
        detail: process.versions.node,
        hint: 'control-room needs Node 20 or later',
      };
}

/** Attaching runs tmux in a pty: the prebuilt node-pty for this platform must load. */
async function checkPty(): Promise<Check> {
  try {
    await import('@lydell/node-pty');
    return {
      name: 'pty',
      status: 'ok',
      detail: `@lydell/node-pty (${process.platform}-${process.arch})`,
    };
  } catch (error) {
    return {
      name: 'pty',
      status: 'warn',
      detail: `@lydell/node-pty does not load: ${sanitize((error as Error).message).split('\n')[0]}`,
      hint: 'attaching (a) will not work; watching and typing a line (i) still do. Reinstall with npm install on this machine',
    };
  }
}

async function checkTmuxServer(ctx: CliContext): Promise<Check> {
  const tmux = new TmuxClient({ socketName: ctx.options.tmuxSocket });
  const server = ctx.options.tmuxSocket ? `server "${ctx.options.tmuxSocket}"` : 'default server';
  try {
    const running = await tmux.serverRunning();
    if (!running) {
      return {
        name: 'tmux server',
        status: 'ok',
        detail: `${server}: not running (runtimes appear when it starts)`,
      };
    }
    const sessions = (await tmux.run(['list-sessions', '-F', '#{session_id}'])).split('\n').length;
    return { name: 'tmux server', status: 'ok', detail: `${server}: ${sessions} sessions` };
  } catch (error) {
    return {
      name: 'tmux server',
      status: 'warn',
      detail: `${server}: ${(error as Error).message}`,
      hint: 'check the socket with tmux -L NAME ls',
    };
  }
}

async function checkTmux(): Promise<Check> {
  try {
    const { stdout } = await execFileAsync('tmux', ['-V'], { timeout: 5000 });
    const text = stdout.trim();
    const match = /(\d+)\.(\d+)/.exec(text);
    const version = match ? Number(match[1]) + Number(match[2]) / 10 : 0;
    if (version >= 3.2) return { name: 'tmux', status: 'ok', detail: text };
    return {
      name: 'tmux',
      status: 'warn',
      detail: text,
      hint: 'tmux 3.2 or later gives live updates (control mode); older ones are polled',
    };
  } catch {
    return {
      name: 'tmux',
      status: 'fail',
      detail: 'not found',
      hint: 'install tmux 3.2 or later (e.g. apt install tmux)',
    };
  }
}

function checkConfig(ctx: CliContext): Check {
  if (ctx.configProblem) {
    return {
      name: 'config',
      status: 'fail',
      detail: formatAppError(ctx.configProblem.error),
      hint: 'fix the file, or move it aside to use the defaults',
    };
  }
  return { name: 'config', status: 'ok', detail: ctx.paths.configFile };
}

/**
 * Whether each profile's program is on the PATH a new runtime would get (ours: tmux hands the
 * client's PATH to a new pane). A missing built-in is a warning: most machines have one or two
 * of the agents, and naming the others is enough. A missing profile of the config file fails:
 * the operator asked for it, and every runtime or pickup with it would be refused.
 */
function checkProfiles(ctx: CliContext): Check {
  const found: string[] = [];
  const missingBuiltIn: string[] = [];
  const missingConfigured: string[] = [];
  const path = sessionPath(ctx.env);
  for (const profile of Object.values(profilesOf(ctx))) {
    const program = programOf(profile);
    const where = findProgram(program, path, process.cwd());
    if (where) found.push(`${profile.name} (${where})`);
    else if (Object.hasOwn(ctx.config.profiles, profile.name)) {
      missingConfigured.push(`${profile.name} (${program})`);
    } else missingBuiltIn.push(`${profile.name} (${program})`);
  }
  const parts = [
    found.length > 0 ? `found: ${found.join(', ')}` : 'none found',
    ...(missingConfigured.length + missingBuiltIn.length > 0
      ? [`not on PATH: ${[...missingConfigured, ...missingBuiltIn].join(', ')}`]
      : []),
  ];
  const detail = parts.join('; ');
  if (missingConfigured.length > 0) {
    return {
      name: 'profiles',
      status: 'fail',
      detail,
      hint: "install them, or fix the profile's command in the config file",
    };
  }
  if (missingBuiltIn.length > 0) {
    return {
      name: 'profiles',
      status: 'warn',
      detail,
      hint: 'runtimes of these built-in profiles cannot start here; install the agents you use',
    };
  }
  return { name: 'profiles', status: 'ok', detail };
}

async function checkStateFolder(ctx: CliContext): Promise<Check> {
  const folder = dirname(ctx.paths.databaseFile);
  try {
    await access(folder, constants.W_OK);
    return { name: 'state folder', status: 'ok', detail: folder };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { name: 'state folder', status: 'ok', detail: `${folder} (made on first use)` };
    }
    return {
      name: 'state folder',
      status: 'fail',
      detail: `${folder} is not writable`,
      hint: 'give this user write access, or pick another --home',
    };
  }
}

/**
 * The database: it opens (not damaged, not newer, tables as its version says), quick_check finds
 * nothing, and a write would go through (not read-only, not write-locked by another process).
 */
function checkDatabase(ctx: CliContext): Check {
  const file = ctx.paths.databaseFile;
  const failed = ({ error }: AppFailure): Check => ({
    name: 'database',
    status: 'fail',
    detail: `${file}: ${error.message}`,
    ...(error.hint ? { hint: error.hint } : {}),
  });
  try {
    const db = openDatabase(file, { busyTimeoutMs: ctx.busyTimeoutMs() });
    try {
      const findings = quickCheck(db);
      if (findings !== null) {
        markDamaged(file); // closed below without folding its -wal into it
        return failed(databaseFailure(file, 'corrupt', `quick_check: ${findings}`));
      }
      const count = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
      const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
      const refusal = writeRefusal(db, file);
      if (refusal) return failed(refusal);
      return {
        name: 'database',
        status: 'ok',
        detail: `${file} (schema ${SCHEMA_VERSION}, SQLite ${sqlite}, ${count} tickets)`,
      };
    } finally {
      db.close();
    }
  } catch (error) {
    const failure = translateDatabaseError(file, error);
    if (failure instanceof AppFailure && failure.error.kind === 'database') {
      return failed(failure);
    }
    throw error;
  }
}

/**
 * The outbox: messages waiting with nobody to deliver them (no control room and no `dispatch`
 * running), and messages whose outcome is unknown, which only the operator can settle.
 */
function checkOutbox(ctx: CliContext): Check {
  try {
    return outboxCheck(ctx);
  } catch (error) {
    const failure = ctx.failureOf(error);
    if (!(failure instanceof AppFailure)) throw error;
    return { name: 'outbox', status: 'fail', detail: failure.message, hint: failure.error.hint };
  }
}

function outboxCheck(ctx: CliContext): Check {
  const processes = ctx.processes();
  const messages = ctx.outbox().list();
  const waiting = messages.filter((m) => m.state === 'pending').length;
  const unknown = messages.filter((m) => m.state === 'unknown').length;
  const dispatchers = processes
    .all()
    .filter((p) => (p.role === 'tui' || p.role === 'dispatch') && !processes.isDead(p)).length;
  const detail = `${waiting} waiting, ${unknown} unknown, ${dispatchers} dispatchers running`;
  if (waiting > 0 && dispatchers === 0) {
    return {
      name: 'outbox',
      status: 'warn',
      detail,
      hint: 'nothing delivers the waiting messages: open the control room or run control-room dispatch',
    };
  }
  if (unknown > 0) {
    return {
      name: 'outbox',
      status: 'warn',
      detail,
      hint: 'a send was cut off; look at the runtimes, then: control-room outbox --state unknown',
    };
  }
  return { name: 'outbox', status: 'ok', detail };
}

/** Past this, timestamps from the host (runtimes' activity, deliveries) read wrong. */
const SKEW_WARN_MS = 5000;

/** Each configured host: reachable, token accepted (read), send scope, clock skew. */
async function checkHosts(ctx: CliContext): Promise<Check[]> {
  let hosts: ReturnType<ReturnType<CliContext['hosts']>['list']>;
  try {
    hosts = ctx.hosts().list();
  } catch {
    return []; // the database check says what is wrong with it
  }
  return Promise.all(
    hosts.map(async (h): Promise<Check> => {
      const name = `host ${h.name}`;
      const driver = await ctx.hostDriver(h, 5000);
      try {
        const started = Date.now();
        const health = await driver.health();
        const skew = health.date
          ? Date.parse(health.date) - (started + Date.now()) / 2
          : Number.NaN;
        const canSend = await driver.canSend();
        const detail = `${h.url}: reachable, token accepted, ${canSend ? 'read and send' : 'read only'}, ${health.tmux}`;
        if (!canSend) {
          return {
            name,
            status: 'warn',
            detail,
            hint: 'the token cannot send: pickups to this host will fail with auth 403',
          };
        }
        if (Number.isFinite(skew) && Math.abs(skew) > SKEW_WARN_MS) {
          return {
            name,
            status: 'warn',
            detail: `${detail}; its clock is ${Math.round(skew / 1000)} s off`,
            hint: 'run NTP on both machines: activity times and ages read wrong otherwise',
          };
        }
        return { name, status: 'ok', detail };
      } catch (error) {
        if (!(error instanceof SendFailure)) throw error;
        const e = error.error;
        const hints: Record<string, string> = {
          unreachable: 'check that host serve runs there and the address is right',
          auth: 'give it a token: control-room hosts add NAME URL --token-file F',
          timeout: 'the host did not answer in time',
        };
        return {
          name,
          status: 'fail',
          detail: `${h.url}: ${e.kind}${e.status ? ` ${e.status}` : ''}: ${e.message}`,
          hint: hints[e.kind] ?? "look at the host's access log",
        };
      }
    }),
  );
}

const MARKS = { ok: '✓', warn: '!', fail: '✗' } as const;

export function registerDoctorCommand(program: Command, run: CommandRunner): void {
  program
    .command('doctor')
    .description(
      "check Node, tmux, config, profiles' programs, state folder and database, and say what to fix",
    )
    .action(
      run(
        async (ctx) => {
          const checks = [
            await checkNode(),
            await checkTmux(),
            await checkTmuxServer(ctx),
            await checkPty(),
            checkConfig(ctx),
            checkProfiles(ctx),
            await checkStateFolder(ctx),
            checkDatabase(ctx),
          ];
          if (checks.at(-1)?.status === 'ok') checks.push(checkOutbox(ctx));
          appendAll(checks, await checkHosts(ctx));
          const ok = checks.every((c) => c.status !== 'fail');
          if (ctx.json) {
            await writeJson(ctx.io, { ok, checks });
          } else {
            for (const c of checks) {
              const hint = c.hint ? `\n    ${c.hint}` : '';
              const line = termBlock(`${c.name}: ${c.detail}${hint}`);
              await write(ctx.io.stdout, term`${MARKS[c.status]} ${line}\n`);
            }
          }
          return ok ? 0 : 1;
        },
        { tolerateBadConfig: true },
      ),
    );
}
