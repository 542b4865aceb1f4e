import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  type FormatAttack,
  folder,
  formatAttack,
  gitRepo,
} from '../integration/helpers/format-attack.js';
import { describeResult, parseJson } from './helpers/cli.js';
import { startServe } from './helpers/host-serve.js';
import { cliOnPrivateTmux, type TmuxServer } from './helpers/tmux.js';

/**
 * Names and folders that tmux would read as formats (`#(…)` runs a command, `#H` is the host
 * name), given to the built CLI and to a real `host serve`: the runtime gets exactly that name
 * and starts in exactly that folder, and nothing runs. A `#(…)` that did not run is shown by a
 * later one that did (the barrier), not by waiting.
 */

const cliOnTmux = cliOnPrivateTmux();

type Place = FormatAttack;

async function place(): Promise<Place> {
  const base = realpathSync(await mkdtemp(join(tmpdir(), 'cr-e2e-fmt-')));
  onTestFinished(() => rm(base, { recursive: true, force: true }));
  return formatAttack(base);
}

async function nothingRan(server: TmuxServer, p: Place): Promise<void> {
  const barrier = join(p.base, 'barrier');
  // Under a heavy load a job once never showed in 20 s: a fresh barrier every 15 s, for a minute.
  const deadline = Date.now() + 60_000;
  for (let attempt = 0; !existsSync(barrier); attempt++) {
    if (Date.now() > deadline) throw new Error('tmux never ran a job of its own');
    const name = `barrier${attempt}#(touch ${barrier})`;
    await server.run(['new-session', '-d', '-s', name]);
    const next = Date.now() + 15_000;
    while (!existsSync(barrier) && Date.now() < next) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  expect(existsSync(p.proof), `${p.attack} ran`).toBe(false);
}

async function sessionOf(server: TmuxServer, id: string): Promise<{ name: string; cwd: string }> {
  const sessionId = `$${/^rt_(\d+)_/.exec(id)?.[1]}`;
  const line = await server.run([
    'display-message',
    '-p',
    '-t',
    sessionId,
    '#{session_name}\t#{pane_current_path}',
  ]);
  const [name = '', cwd = ''] = line.replace(/\n$/, '').split('\t');
  return { name, cwd };
}

describe('runtimes new with names and folders tmux would expand', { timeout: 180_000 }, () => {
  it('--name, --cwd, --worktree and the folder it was started from are taken as written', async () => {
    const { server, cli } = await cliOnTmux({ keep: true });
    const p = await place();
    const cr = (options: { cwd?: string }, ...args: string[]) =>
      cli.with(options, '--tmux-socket', server.socket, '--json', 'runtimes', 'new', ...args);
    const made = async (options: { cwd?: string }, ...args: string[]) => {
      const result = await cr(options, '--profile', 'shell', ...args);
      expect(result.code, describeResult(result)).toBe(0);
      return sessionOf(server, parseJson<{ id: string }>(result).id);
    };

    const name = `n${p.attack}#H`;
    expect((await made({}, '--name', name, '--cwd', p.base)).name).toBe(name);

    const cwd = folder(join(p.base, `cwd${p.attack}#H`));
    expect((await made({}, '--cwd', cwd)).cwd).toBe(cwd);

    const started = folder(join(p.base, `started${p.attack}#H`));
    expect((await made({ cwd: started })).cwd).toBe(started);

    const repo = gitRepo(join(p.base, `repo${p.attack}#H`));
    const worktree = await made({}, '--name', 'wt', '--worktree', repo);
    expect(worktree.cwd).toBe(join(`${repo}-worktrees`, 'wt'));

    const gone = await cr({}, '--profile', 'shell', '--cwd', join(p.base, 'gone#H'));
    expect(gone.code, describeResult(gone)).not.toBe(0);
    expect(gone.stderr).toMatch(/gone#H is not a folder/);

    await nothingRan(server, p);
  });

  it('through host serve: a cwd and a worktree repository are taken as written', async () => {
    const { server, cli } = await cliOnTmux({ keep: true });
    const p = await place();
    const serve = await startServe(cli.home, server.socket);

    const cwd = folder(join(p.base, `cwd${p.attack}#H`));
    const byCwd = await serve.call('POST', '/runtimes', { profile: 'shell', cwd });
    expect(byCwd.status, JSON.stringify(byCwd.body)).toBe(201);
    expect((await sessionOf(server, (byCwd.body as { id: string }).id)).cwd).toBe(cwd);

    const repo = gitRepo(join(p.base, `repo${p.attack}#H`));
    const byRepo = await serve.call('POST', '/runtimes', {
      profile: 'shell',
      name: 'wt',
      worktree: { repo },
    });
    expect(byRepo.status, JSON.stringify(byRepo.body)).toBe(201);
    const worktree = await sessionOf(server, (byRepo.body as { id: string }).id);
    expect(worktree.cwd).toBe(join(`${repo}-worktrees`, 'wt'));

    // A folder inside a repository is no repository: no `-worktrees` folder is made beside it.
    const inner = folder(join(repo, 'sub'));
    const byInner = await serve.call('POST', '/runtimes', {
      profile: 'shell',
      worktree: { repo: inner },
    });
    expect(byInner.status).toBe(502);
    expect(existsSync(`${inner}-worktrees`)).toBe(false);

    await nothingRan(server, p);
  });
});
