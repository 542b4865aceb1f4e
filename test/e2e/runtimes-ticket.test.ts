import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type CliResult, describeResult, parseJson, type TicketJson } from './helpers/cli.js';
import { cliOnPrivateTmux } from './helpers/tmux.js';

/**
 * `runtimes new --ticket K` binds K; `runtimes close` takes an id or a name, with or without its
 * host, and releases the worktree it made; a new runtime for the ticket reuses what is left
 * (issue 13 item 12). Real tmux on a private server, real git repositories in temp folders.
 */

interface RuntimeJson {
  id: string;
  name: string;
  cwd: string;
  ticket: string | null;
}

const cliOnTmux = cliOnPrivateTmux();

async function setUp() {
  // A session of our own starts the server without the user's tmux.conf.
  const { server, cr } = await cliOnTmux({ keep: true });
  const ok = async (...args: string[]): Promise<CliResult> => {
    const result = await cr(...args);
    expect(result.code, describeResult(result)).toBe(0);
    return result;
  };
  const list = async (): Promise<RuntimeJson[]> =>
    parseJson<RuntimeJson[]>(await ok('--json', 'runtimes', 'list'));
  const sessions = () => server.sessionNames();
  const ticket = async (key: string): Promise<TicketJson> =>
    parseJson<TicketJson>(await ok('--json', 'tickets', 'show', key));
  return { server, cr, ok, list, sessions, ticket };
}

async function tempFolder(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'cr-e2e-rt-')));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const identity = ['-c', 'user.name=Test', '-c', 'user.email=t@example.invalid'];
  const more = ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
  return (await execa('git', [...identity, ...more, ...args], { cwd })).stdout;
}

async function makeRepo(): Promise<{ parent: string; repo: string }> {
  const parent = await tempFolder();
  const repo = join(parent, 'app');
  await mkdir(repo);
  await git(repo, 'init', '--quiet');
  writeFileSync(join(repo, 'README.md'), '# app\n');
  await git(repo, 'add', 'README.md');
  await git(repo, 'commit', '--quiet', '-m', 'first');
  return { parent, repo };
}

async function branches(repo: string): Promise<string[]> {
  return (await git(repo, 'branch', '--format=%(refname:short)')).split('\n').filter(Boolean);
}

function idOf(made: CliResult): string {
  return made.stdout.trim().split(/\s+/)[0] ?? '';
}

describe('runtimes new --ticket', () => {
  it('binds the ticket to the new runtime, on its record and its timeline', async () => {
    const { ok, ticket } = await setUp();
    await ok('tickets', 'add', '--key', 'CR-3', '--title', 'the third');
    const cwd = await tempFolder();
    const made = await ok(
      'runtimes',
      'new',
      '--profile',
      'shell',
      '--ticket',
      'CR-3',
      '--cwd',
      cwd,
    );
    const id = idOf(made);

    const bound = await ticket('CR-3');
    expect(bound.runtime).toEqual({ host: 'local', id, name: 'cr-cr-3', adopted: false });
    const event = bound.events.find((e) => e.type === 'runtime_bound');
    expect(event?.text).toContain('local:cr-cr-3');
    expect(event?.text).toContain(cwd);
    expect(bound.state).toBe('todo');
  });

  it('refuses a ticket that is not here, and starts nothing', async () => {
    const { cr, sessions } = await setUp();
    const cwd = await tempFolder();
    const result = await cr(
      'runtimes',
      'new',
      '--profile',
      'shell',
      '--ticket',
      'CR-9',
      '--cwd',
      cwd,
    );
    expect(result.code, describeResult(result)).toBe(1);
    expect(result.stderr).toContain('no ticket CR-9');
    expect(await sessions()).toEqual(['keep']);
  });
});

describe('runtimes close', () => {
  it('takes the name the list shows, or HOST:NAME, or HOST:ID', async () => {
    const { ok, list, sessions } = await setUp();
    const cwd = await tempFolder();
    for (const name of ['shell-x', 'shell-y', 'shell-z']) {
      await ok('runtimes', 'new', '--profile', 'shell', '--name', name, '--cwd', cwd);
    }
    const z = (await list()).find((r) => r.name === 'shell-z');

    const byName = await ok('runtimes', 'close', 'shell-x');
    expect(byName.stdout).toMatch(/^closed local:rt_\S+ \(shell-x\)$/m);
    await ok('runtimes', 'close', 'local:shell-y');
    await ok('runtimes', 'close', `local:${z?.id}`);
    expect(await sessions()).toEqual(['keep']);
  });

  it('says so when what it is given names two runtimes, and closes neither', async () => {
    const { server, cr, ok, list, sessions } = await setUp();
    const cwd = await tempFolder();
    const made = await ok('runtimes', 'new', '--profile', 'shell', '--name', 'one', '--cwd', cwd);
    const id = idOf(made);
    // Another session whose name is that id.
    await server.newSession(id, ['sleep', '600']);
    expect((await list()).map((r) => r.name).sort()).toEqual(['keep', 'one', id].sort());

    const result = await cr('runtimes', 'close', id);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain(`"${id}" names 2 runtimes`);
    expect(result.stderr).toContain('HOST:ID');
    expect((await sessions()).sort()).toEqual(['keep', 'one', id].sort());
  });

  it('names what it was given when nothing has that id or name', async () => {
    const { cr, sessions } = await setUp();
    const result = await cr('runtimes', 'close', 'shell-nope');
    expect(result.code, describeResult(result)).toBe(1);
    expect(result.stderr).toContain('no runtime shell-nope on local');
    expect(await sessions()).toEqual(['keep']);
  });
});

describe('a worktree runtime, closed and started again for the same ticket', () => {
  async function worktreeRuntime(env: Awaited<ReturnType<typeof setUp>>, repo: string) {
    const made = await env.ok(
      'runtimes',
      'new',
      '--profile',
      'shell',
      '--ticket',
      'CR-3',
      '--worktree',
      repo,
    );
    return { id: idOf(made), cwd: made.stdout.trim().split(/\s+/)[2] ?? '' };
  }

  /** A repository, the ticket CR-3, and a first runtime for it in `app-worktrees/cr-3`. */
  async function firstRuntime() {
    const env = await setUp();
    const { parent, repo } = await makeRepo();
    await env.ok('tickets', 'add', '--key', 'CR-3', '--title', 'the third');
    const first = await worktreeRuntime(env, repo);
    const folder = join(parent, 'app-worktrees', 'cr-3');
    expect(first.cwd).toBe(folder);
    return { env, repo, folder, first };
  }

  it('removes a clean worktree and its branch on close, and starts afresh', async () => {
    const { env, repo, folder, first } = await firstRuntime();

    const closed = await env.ok('runtimes', 'close', first.id);
    expect(closed.stdout).toContain(`removed the worktree ${folder}`);
    expect(closed.stdout).toContain('deleted the branch cr/cr-3');
    expect(existsSync(folder)).toBe(false);
    expect(await branches(repo)).toEqual(['main']);

    const second = await worktreeRuntime(env, repo);
    expect(second.cwd).toBe(folder);
    expect(existsSync(join(folder, 'README.md'))).toBe(true);
  });

  it('keeps a worktree with an untracked file, says how to remove it, and starts there again', async () => {
    const { env, repo, folder } = await firstRuntime();
    writeFileSync(join(folder, 'notes.txt'), 'half done\n');

    const closed = await env.ok('runtimes', 'close', 'cr-cr-3');
    expect(closed.stdout).toContain(`kept the worktree ${folder}: it has uncommitted changes`);
    expect(closed.stdout).toContain(`git worktree remove --force ${folder}`);
    expect(existsSync(join(folder, 'notes.txt'))).toBe(true);

    const second = await worktreeRuntime(env, repo);
    expect(second.cwd).toBe(folder);
    const pane = (await env.list()).find((r) => r.id === second.id);
    expect(pane?.cwd).toBe(folder);
    expect(existsSync(join(folder, 'notes.txt'))).toBe(true);
  });

  it('keeps a branch with commits, and the next worktree is on it', async () => {
    const { env, repo, folder, first } = await firstRuntime();
    writeFileSync(join(folder, 'fix.txt'), 'fixed\n');
    await git(folder, 'add', 'fix.txt');
    await git(folder, 'commit', '--quiet', '-m', 'the fix');

    const closed = await env.ok('runtimes', 'close', first.id);
    expect(closed.stdout).toContain(`removed the worktree ${folder}`);
    expect(closed.stdout).toContain('kept the branch cr/cr-3: it has commits');
    expect(existsSync(folder)).toBe(false);
    expect(await branches(repo)).toContain('cr/cr-3');

    const second = await worktreeRuntime(env, repo);
    expect(second.cwd).toBe(folder);
    expect((await git(folder, 'log', '-1', '--format=%s')).trim()).toBe('the fix');
  });
});
