import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createWorktree } from '../../src/adapters/tmux/worktree.js';
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

  it('fails with git’s own words when the same worktree is made twice', async () => {
    const { repo } = await makeRepo();
    await createWorktree(repo, 'OPS-42');
    const second = await createWorktree(repo, 'OPS-42').then(
      () => null,
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(Error);
    const message = (second as Error).message;
    expect(message).toContain('git worktree add');
    // git's words: `fatal: a branch named 'cr/ops-42' already exists` (or the folder exists).
    expect(message).toMatch(/fatal: .*already exists/);
    expect(message).toContain('ops-42');
    // Still exactly one worktree besides the repository itself.
    expect((await worktrees(repo)).filter((w) => w.path !== repo)).toHaveLength(1);
  });
});
