import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  createWorktree,
  prepareWorktree,
  releaseWorktree,
} from '../../src/adapters/tmux/worktree.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';

/**
 * createWorktree against real git, in a repository made in a temporary folder: git runs with
 * argument arrays, and the folder and branch come from the ticket key reduced to [a-z0-9-].
 */

const dirs = tempDirsPerTest();

/** git with an argument array and a fixed identity, no user or system config in the way. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa(
    'git',
    [
      '-c',
      'user.name=Control Room Test',
      '-c',
      'user.email=test@example.invalid',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    { cwd },
  );
  return result.stdout;
}

/** A repository with one commit, at `<tmp>/repo`. */
async function makeRepo(): Promise<{ parent: string; repo: string }> {
  const parent = realpathSync(dirs.make());
  const repo = join(parent, 'repo');
  mkdirSync(repo);
  await git(repo, 'init', '--quiet');
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  await git(repo, 'add', 'README.md');
  await git(repo, 'commit', '--quiet', '-m', 'first');
  return { parent, repo };
}

/** `git worktree list --porcelain`: each worktree's folder and branch. */
async function worktrees(repo: string): Promise<{ path: string; branch: string | null }[]> {
  const out = await git(repo, 'worktree', 'list', '--porcelain');
  return out
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const path = lines.find((l) => l.startsWith('worktree '))?.slice('worktree '.length) ?? '';
      const branch = lines.find((l) => l.startsWith('branch '))?.slice('branch '.length) ?? null;
      return { path, branch };
    });
}

async function branches(repo: string): Promise<string[]> {
  const out = await git(repo, 'branch', '--format=%(refname:short)');
  return out.split('\n').filter((b) => b !== '');
}

describe('createWorktree', () => {
  it('makes <repo>-worktrees/<slug> on the branch cr/<slug>', async () => {
    const { parent, repo } = await makeRepo();
    const folder = await createWorktree(repo, 'OPS-42');
    const expected = join(parent, 'repo-worktrees', 'ops-42');
    expect(folder).toBe(expected);
    expect(existsSync(join(expected, 'README.md'))).toBe(true);
    expect(await worktrees(repo)).toContainEqual({
      path: expected,
      branch: 'refs/heads/cr/ops-42',
    });
    expect(await branches(repo)).toEqual(expect.arrayContaining(['main', 'cr/ops-42']));
    expect((await git(expected, 'rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('cr/ops-42');
  });

  it('keeps a hostile key to [a-z0-9-] in folder and branch, and runs nothing from it', async () => {
    const { parent, repo } = await makeRepo();
    const canary = join(parent, 'y');
    mkdirSync(canary);
    writeFileSync(join(canary, 'keep'), 'keep\n');
    const touched = join(parent, 'x');
    const key = `OPS-9 $(touch ${touched});rm -rf ${canary} \`touch ${touched}\` | & > "q" 'z'`;
    const folder = await createWorktree(repo, key);

    const made = readdirSync(join(parent, 'repo-worktrees'));
    expect(made).toHaveLength(1);
    const slug = made[0] ?? '';
    expect(slug).toMatch(/^[a-z0-9-]+$/);
    expect(slug.startsWith('ops-9-')).toBe(true);
    expect(folder).toBe(join(parent, 'repo-worktrees', slug));

    const added = (await worktrees(repo)).filter((w) => w.path !== repo);
    expect(added).toEqual([{ path: folder, branch: `refs/heads/cr/${slug}` }]);
    const ours = (await branches(repo)).filter((b) => b !== 'main');
    expect(ours).toEqual([`cr/${slug}`]);
    expect(ours[0]).toMatch(/^cr\/[a-z0-9-]+$/);

    // Nothing in the key ran: no file touched, the canary folder intact.
    expect(existsSync(touched)).toBe(false);
    expect(existsSync(join(canary, 'keep'))).toBe(true);
    expect(readdirSync(parent).sort()).toEqual(['repo', 'repo-worktrees', 'y']);
  });

  it('reuses the worktree an earlier runtime left, with its changes', async () => {
    const { repo } = await makeRepo();
    const first = await prepareWorktree(repo, 'OPS-42');
    writeFileSync(join(first.folder, 'work.txt'), 'in progress\n');
    const second = await prepareWorktree(repo, 'OPS-42');
    expect(second).toEqual({
      folder: first.folder,
      branch: 'cr/ops-42',
      origin: 'reused_worktree',
    });
    expect(existsSync(join(second.folder, 'work.txt'))).toBe(true);
    expect((await worktrees(repo)).filter((w) => w.path !== repo)).toHaveLength(1);
  });

  it('puts a new worktree on the branch that exists, keeping its commits', async () => {
    const { repo } = await makeRepo();
    const first = await prepareWorktree(repo, 'OPS-42');
    writeFileSync(join(first.folder, 'fix.txt'), 'fixed\n');
    await git(first.folder, 'add', 'fix.txt');
    await git(first.folder, 'commit', '--quiet', '-m', 'the fix');
    await git(repo, 'worktree', 'remove', first.folder);
    expect(await branches(repo)).toContain('cr/ops-42');

    const again = await prepareWorktree(repo, 'OPS-42');
    expect(again).toEqual({ folder: first.folder, branch: 'cr/ops-42', origin: 'reused_branch' });
    expect(existsSync(join(again.folder, 'fix.txt'))).toBe(true);
    expect((await git(again.folder, 'log', '-1', '--format=%s')).trim()).toBe('the fix');
  });

  it('makes the worktree again when its folder was deleted by hand', async () => {
    const { repo } = await makeRepo();
    const first = await prepareWorktree(repo, 'OPS-42');
    rmSync(first.folder, { recursive: true, force: true });
    const again = await prepareWorktree(repo, 'OPS-42');
    expect(again.origin).toBe('reused_branch');
    expect(existsSync(join(again.folder, 'README.md'))).toBe(true);
  });
});

describe('releaseWorktree', () => {
  it('removes a worktree without changes and deletes its branch, which has no commits', async () => {
    const { repo } = await makeRepo();
    const { folder } = await prepareWorktree(repo, 'CR-3');
    expect(await releaseWorktree(folder)).toEqual({
      kind: 'removed',
      folder,
      branch: 'cr/cr-3',
      branchKept: false,
    });
    expect(existsSync(folder)).toBe(false);
    expect(await branches(repo)).toEqual(['main']);
    // The next runtime for the ticket starts afresh.
    expect((await prepareWorktree(repo, 'CR-3')).origin).toBe('created');
  });

  it('keeps a worktree with an untracked file, and says how to remove it', async () => {
    const { repo } = await makeRepo();
    const { folder } = await prepareWorktree(repo, 'CR-3');
    writeFileSync(join(folder, 'new-file.txt'), 'not added\n');
    expect(await releaseWorktree(folder)).toEqual({
      kind: 'kept',
      folder,
      reason: 'changes',
      removeCommand: ['git', 'worktree', 'remove', '--force', folder],
    });
    expect(existsSync(join(folder, 'new-file.txt'))).toBe(true);
    expect(await branches(repo)).toContain('cr/cr-3');
  });

  it('keeps a worktree with a changed tracked file', async () => {
    const { repo } = await makeRepo();
    const { folder } = await prepareWorktree(repo, 'CR-3');
    writeFileSync(join(folder, 'README.md'), '# changed\n');
    expect((await releaseWorktree(folder)).kind).toBe('kept');
    expect(existsSync(folder)).toBe(true);
  });

  it('removes a clean worktree but keeps a branch with commits not merged', async () => {
    const { repo } = await makeRepo();
    const { folder } = await prepareWorktree(repo, 'CR-3');
    writeFileSync(join(folder, 'fix.txt'), 'fixed\n');
    await git(folder, 'add', 'fix.txt');
    await git(folder, 'commit', '--quiet', '-m', 'the fix');
    const commit = (await git(folder, 'rev-parse', 'HEAD')).trim();
    expect(await releaseWorktree(folder)).toEqual({
      kind: 'removed',
      folder,
      branch: 'cr/cr-3',
      branchKept: true,
    });
    expect(existsSync(folder)).toBe(false);
    expect((await git(repo, 'rev-parse', 'cr/cr-3')).trim()).toBe(commit);
  });

  it('keeps a worktree whose HEAD is detached, whose commits may be on no branch', async () => {
    const { repo } = await makeRepo();
    const { folder } = await prepareWorktree(repo, 'CR-3');
    await git(folder, 'checkout', '--quiet', '--detach');
    await git(folder, 'commit', '--quiet', '--allow-empty', '-m', 'on no branch');
    expect((await releaseWorktree(folder)).kind).toBe('kept');
    expect(existsSync(folder)).toBe(true);
  });

  it('says a worktree removed by hand is gone', async () => {
    const { repo } = await makeRepo();
    const { folder } = await prepareWorktree(repo, 'CR-3');
    rmSync(folder, { recursive: true, force: true });
    expect(await releaseWorktree(folder)).toEqual({ kind: 'gone', folder });
  });
});
