import { existsSync, realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { RuntimeSpec } from '../../domain/driver.js';
import { worktreeSlug } from '../../domain/index.js';
import { TmuxError } from './tmux-client.js';

/**
 * A ticket's git worktree, beside the repository (`<repo>-worktrees/<slug>`) on a branch
 * `cr/<slug>`. Folder and branch come from the ticket key alone, kept to [a-z0-9-]: never from
 * a title, which could hold `$(…)` or `;`. git runs with argument arrays, never a shell.
 */

/** A session option: the worktree made for the runtime, also known after a restart. */
const WORKTREE_OPTION = '@cr_worktree';

/** What closing a local runtime did besides ending its session. */
export interface ClosedRuntime {
  worktree: WorktreeRelease | null;
}

/** How a runtime's folder was got: a fresh worktree, or what an earlier runtime left. */
export type WorktreeOrigin = 'created' | 'reused_worktree' | 'reused_branch';

export interface PreparedWorktree {
  folder: string;
  branch: string;
  origin: WorktreeOrigin;
}

/**
 * The worktree for a ticket: the one that exists already (an earlier runtime's, kept because
 * it had changes), a new one on the branch that exists already (its commits kept), or a new
 * one on a new branch.
 */
export async function prepareWorktree(
  repo: string,
  key: string,
  branch?: string,
): Promise<PreparedWorktree> {
  const root = resolve(repo);
  const slug = worktreeSlug(key);
  const folder = join(dirname(root), `${basename(root)}-worktrees`, slug);
  const branchName = branch ?? `cr/${slug}`;
  // A folder inside a repository would do for git, and its `-worktrees` sibling would be made
  // wherever that folder is: only a repository's own top folder is taken.
  const top = (await git(root, ['rev-parse', '--show-toplevel'], 'git rev-parse')).trim();
  if (realpathSync(top) !== realpathSync(root)) {
    throw new TmuxError('failed', `${root} is not the top folder of a git repository (${top} is)`);
  }
  // A worktree whose folder was deleted by hand still holds its branch until pruned.
  await git(root, ['worktree', 'prune'], 'git worktree prune');
  if (existsSync(folder) && (await worktreeFolders(root)).includes(realpathSync(folder))) {
    return { folder, branch: branchName, origin: 'reused_worktree' };
  }
  await mkdir(dirname(folder), { recursive: true });
  if (await branchExists(root, branchName)) {
    await git(root, ['worktree', 'add', folder, branchName], 'git worktree add');
    return { folder, branch: branchName, origin: 'reused_branch' };
  }
  await git(root, ['worktree', 'add', '-b', branchName, folder], 'git worktree add');
  return { folder, branch: branchName, origin: 'created' };
}

/** The worktree a runtime spec asks for (named from its ticket, else its name), or null. */
export async function worktreeOf(spec: RuntimeSpec): Promise<PreparedWorktree | null> {
  if (!spec.worktree) return null;
  const { repo, branch } = spec.worktree;
  return prepareWorktree(repo, spec.ticket ?? spec.name ?? 'runtime', branch);
}

/** The session option that remembers the worktree, so closing it knows what to release. */
export function worktreeOptions(worktree: PreparedWorktree | null): [string, string][] {
  return worktree ? [[WORKTREE_OPTION, worktree.folder]] : [];
}

/** The tmux command that reads that option back (empty when the session has none). */
export function worktreeQuery(sessionId: string): string[] {
  return ['show-options', '-q', '-v', '-t', sessionId, WORKTREE_OPTION];
}

/** The folder of the ticket's worktree (see `prepareWorktree`). */
export async function createWorktree(repo: string, key: string, branch?: string): Promise<string> {
  return (await prepareWorktree(repo, key, branch)).folder;
}

/** What closing a runtime did to its worktree and branch; nothing with commits is ever lost. */
export type WorktreeRelease =
  | { kind: 'removed'; folder: string; branch: string; branchKept: boolean }
  | { kind: 'kept'; folder: string; reason: 'changes' | 'detached'; removeCommand: string[] }
  | { kind: 'gone'; folder: string }
  | { kind: 'failed'; folder: string; message: string };

/**
 * After its runtime closed: a worktree without uncommitted changes (untracked files count) is
 * removed, and its branch deleted unless it has commits the repository's checked-out branch
 * does not (`git branch -d` decides, so no commit is lost). One with changes is kept.
 */
export async function releaseWorktree(folder: string): Promise<WorktreeRelease> {
  if (!existsSync(folder)) return { kind: 'gone', folder };
  try {
    const status = await git(
      folder,
      ['status', '--porcelain', '--untracked-files=all', '--ignore-submodules=none'],
      'git status',
    );
    const removeCommand = ['git', 'worktree', 'remove', '--force', folder];
    if (status.trim() !== '') return { kind: 'kept', folder, reason: 'changes', removeCommand };
    const branch = await git(folder, ['symbolic-ref', '--quiet', '--short', 'HEAD'], 'git').then(
      (out) => out.trim() || null,
      () => null,
    );
    // A detached HEAD's commits are on no branch: removing the worktree could lose them.
    if (branch === null) return { kind: 'kept', folder, reason: 'detached', removeCommand };
    const repo = await mainRepository(folder);
    // Without --force git refuses a worktree that changed since the look above.
    await git(repo, ['worktree', 'remove', folder], 'git worktree remove');
    const deleted = await git(repo, ['branch', '-d', branch], 'git branch -d').then(
      () => true,
      () => false,
    );
    return { kind: 'removed', folder, branch, branchKept: !deleted };
  } catch (error) {
    return { kind: 'failed', folder, message: (error as Error).message };
  }
}

/** The repository a worktree belongs to: the folder holding its common `.git`. */
async function mainRepository(folder: string): Promise<string> {
  const common = (
    await git(folder, ['rev-parse', '--path-format=absolute', '--git-common-dir'], 'git rev-parse')
  ).trim();
  return basename(common) === '.git' ? dirname(common) : common;
}

async function worktreeFolders(root: string): Promise<string[]> {
  const out = await git(root, ['worktree', 'list', '--porcelain'], 'git worktree list');
  return out
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length))
    .map((path) => (existsSync(path) ? realpathSync(path) : path));
}

async function branchExists(root: string, branch: string): Promise<boolean> {
  return git(root, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], 'git').then(
    () => true,
    () => false,
  );
}

/** git in `cwd` with an argument array; a failure says what ran, where, and git's own words. */
async function git(cwd: string, args: readonly string[], what: string): Promise<string> {
  const { execa } = await import('execa');
  try {
    const result = await execa('git', ['-C', cwd, ...args], { timeout: 60_000 });
    return result.stdout;
  } catch (error) {
    const stderr = String(
      (error as { stderr?: unknown }).stderr || (error as Error).message,
    ).trim();
    throw new TmuxError('failed', `${what} in ${cwd}: ${stderr}`);
  }
}
