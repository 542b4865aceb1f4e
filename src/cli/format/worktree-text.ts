import type { WorktreeRelease } from '../../adapters/tmux/worktree.js';
import { sanitizeLine } from '../../domain/index.js';

/** What closing a runtime did to its worktree, in lines for the operator. */
export function worktreeReport(release: WorktreeRelease): string {
  const folder = sanitizeLine(release.folder);
  switch (release.kind) {
    case 'gone':
      return `its worktree ${folder} was removed already\n`;
    case 'failed':
      return `its worktree ${folder} was left as it is: ${sanitizeLine(release.message)}\n`;
    case 'kept': {
      const why =
        release.reason === 'changes'
          ? 'it has uncommitted changes (untracked files count)'
          : 'its HEAD is detached, so its commits may be on no branch';
      const command = release.removeCommand.map(shellWord).join(' ');
      return `kept the worktree ${folder}: ${why}; a new runtime for the ticket starts there again, or remove it with \`${command}\`\n`;
    }
    case 'removed': {
      const branch = sanitizeLine(release.branch);
      const fate = release.branchKept
        ? `kept the branch ${branch}: it has commits the repository's checked-out branch does not (delete it with \`git branch -D ${shellWord(release.branch)}\` when they are not needed)`
        : `deleted the branch ${branch}: nothing on it was not merged`;
      return `removed the worktree ${folder} (it had no changes); ${fate}\n`;
    }
  }
}

/** A word as a POSIX shell reads it back, quoted only when it needs to be. */
function shellWord(word: string): string {
  const clean = sanitizeLine(word);
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(clean) ? clean : `'${clean.replace(/'/g, `'\\''`)}'`;
}
