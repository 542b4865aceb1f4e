import { execFileSync } from 'node:child_process';
import { chown, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, onTestFinished } from 'vitest';
import { type BoundCli, CLI_PATH, describeResult, homeCli, runCli } from './cli.js';

/** A home whose database holds `count` tickets with some body each: dozens of pages. */
export async function homeWithTickets(count: number, cr?: BoundCli) {
  const cli = cr ?? (await homeCli());
  const file = join(cli.home, 'tickets.json');
  const tickets = Array.from({ length: count }, (_, i) => ({
    title: `ticket number ${i}`,
    body: `what ticket ${i} is about, at some length. `.repeat(8),
  }));
  await writeFile(file, JSON.stringify(tickets));
  const imported = await cli('tickets', 'import', file);
  expect(imported.code, describeResult(imported)).toBe(0);
  await rm(file);
  return { cr: cli, db: join(cli.home, 'control-room.db') };
}

/** Overwrites two pages in the middle of the file, as a faulty disk or a stray write would. */
export async function writeGarbageInTheMiddle(file: string): Promise<void> {
  const { size } = await stat(file);
  const handle = await open(file, 'r+');
  try {
    const at = Math.floor(size / 2 / 4096) * 4096;
    await handle.write(Buffer.alloc(8192, 0x5a), 0, 8192, at);
  } finally {
    await handle.close();
  }
}

/** Overwrites the root page of one table or index (by name) with garbage. */
export async function writeGarbageOver(file: string, name: string): Promise<void> {
  const reader = new Database(file, { readonly: true });
  const row = reader.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(name) as
    | { rootpage: number }
    | undefined;
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  reader.close();
  if (!row) throw new Error(`no ${name} in ${file}`);
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.alloc(pageSize, 0x5a), 0, pageSize, (row.rootpage - 1) * pageSize);
  } finally {
    await handle.close();
  }
}

/** Root writes through any file mode: as root, a read-only file needs another user to be one. */
const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/**
 * What runs a program as that user when we are root (nothing otherwise): `nobody`, whose tmux
 * (if it asks) looks for its servers in /var/tmp, since root's /tmp may be closed to it.
 */
export const UNPRIVILEGED: readonly string[] = AS_ROOT
  ? [
      'setpriv',
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      '--clear-groups',
      '--',
      'env',
      'TMUX_TMPDIR=/var/tmp',
      'HOME=/var/tmp',
    ]
  : [];

/**
 * The CLI on a fresh home as a user that file modes apply to: ourselves, or `nobody` (through
 * `setpriv`) when the tests run as root, on a home `nobody` owns, outside root's private /tmp.
 */
export async function unprivilegedCli(): Promise<BoundCli> {
  if (!AS_ROOT) return homeCli();
  reachableByNobody();
  const home = await mkdtemp(join('/var/tmp', 'cr-e2e-home-'));
  onTestFinished(() => rm(home, { recursive: true, force: true }));
  await chown(home, NOBODY, NOBODY);
  const wrapper = UNPRIVILEGED;
  const cli = ((...args: string[]) => runCli(home, args, { wrapper })) as BoundCli;
  cli.home = home;
  cli.with = (options, ...args) => runCli(home, args, { ...options, wrapper });
  return cli;
}

/** `nobody` must reach the built CLI: every folder above it open to others (`chmod o+x`). */
function reachableByNobody(): void {
  try {
    const [program = 'setpriv', ...args] = UNPRIVILEGED;
    const check =
      'require("node:fs").accessSync(process.argv[1], require("node:fs").constants.R_OK)';
    execFileSync(program, [...args, process.execPath, '-e', check, CLI_PATH], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `nobody cannot read ${CLI_PATH}: a folder above it is closed to others (a 0700 temporary folder?); open it (chmod o+x), as .ci/run does`,
    );
  }
}

/** A CLI on a fresh home with one ticket, whose database another connection holds the write lock of. */
export async function writeLockedCli(): Promise<BoundCli & { release(): void }> {
  const cr = await homeCli();
  expect((await cr('tickets', 'add', '--title', 'one')).code).toBe(0);
  const holder = new Database(join(cr.home, 'control-room.db'));
  onTestFinished(() => {
    if (holder.open) holder.close();
  });
  holder.exec('BEGIN IMMEDIATE');
  return Object.assign(cr, { release: () => holder.exec('ROLLBACK') });
}
