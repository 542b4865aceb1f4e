import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { worktreeSlug } from '../../domain/index.js';
import { TmuxError } from './tmux-client.js';

/**
 * A fresh git worktree for a runtime, beside the repository (`<repo>-worktrees/<slug>`) on a
 * branch `cr/<slug>`. Folder and branch come from the ticket key alone, kept to [a-z0-9-]:
 * never from a title, which could hold `$(…)` or `;`. git runs with an argument array.
 */
export async function createWorktree(repo: string, key: string, branch?: string): Promise<string> {
  const root = resolve(repo);
  const slug = worktreeSlug(key);
  const folder = join(dirname(root), `${basename(root)}-worktrees`, slug);
  const branchName = branch ?? `cr/${slug}`;
  await mkdir(dirname(folder), { recursive: true });
  const { execa } = await import('execa');
  try {
    await execa('git', ['-C', root, 'worktree', 'add', '-b', branchName, folder], {
      timeout: 60_000,
    });
  } catch (error) {
    const stderr = String(
      (error as { stderr?: unknown }).stderr ?? (error as Error).message,
    ).trim();
    throw new TmuxError('failed', `git worktree add in ${root}: ${stderr}`);
  }
  return folder;
}
