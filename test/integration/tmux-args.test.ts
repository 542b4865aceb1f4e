import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import type { Profile, RuntimeSpec } from '../../src/domain/index.js';
import { type FormatAttack, folder, formatAttack, gitRepo } from './helpers/format-attack.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * Every argument we give tmux text in, against the real tmux on a private server: text that tmux
 * would run (`#(…)`), expand (`#H`) or split at (a final `;`) arrives as written, and nothing
 * runs. Runs of `#(…)` are proven absent after a job tmux did run (the barrier), not by waiting.
 */

const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();

type Place = FormatAttack;

function place(): Place {
  return formatAttack(realpathSync(dirs.make()));
}

/**
 * Every `#(…)` tmux started before this one has run: a session named with a job of its own (a
 * name is expanded, and its job run, as the attacks would be) sees its file appear.
 */
async function jobsHaveRun(p: Place): Promise<void> {
  const barrier = join(p.base, 'barrier');
  // Under a heavy load a job once never showed in time: a fresh barrier every 15 s, for a minute.
  const deadline = Date.now() + 60_000;
  for (let attempt = 0; !existsSync(barrier); attempt++) {
    if (Date.now() > deadline) throw new Error('tmux never ran a job of its own');
    await server.tmux('new-session', '-d', '-s', `barrier${attempt}#(touch ${barrier})`);
    const next = Date.now() + 15_000;
    while (!existsSync(barrier) && Date.now() < next) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function start(p: Place, profileEnv: Record<string, string> = {}, defaultCwd?: string) {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const out = join(p.base, 'seen');
  const profiles: Record<string, Profile> = {
    sh: {
      name: 'sh',
      // What the agent was given, written where the test reads it; `$1` is the last argument.
      command: ['sh', '-c', 'printf "%s|%s" "$V" "$1" > "$OUT"; exec sleep 600', 'sh', '#H;'],
      env: { OUT: out, V: 'unset', ...profileEnv },
      detector: 'generic',
    },
  };
  const tmux = new TmuxClient({ socketName: server.name() });
  const driver = new LocalTmuxDriver({ tmux, profiles, defaultCwd });
  const show = async (id: string, format: string) => {
    const sessionId = `$${/^rt_(\d+)_/.exec(id)?.[1]}`;
    return (await server.tmux('display-message', '-p', '-t', sessionId, format)).trim();
  };
  const create = async (spec: Omit<RuntimeSpec, 'profile'>) => {
    const runtime = await driver.create({ profile: 'sh', ...spec });
    return {
      runtime,
      name: () => show(runtime.id, '#{session_name}'),
      folder: () => show(runtime.id, '#{pane_current_path}'),
      option: (option: string) => show(runtime.id, `#{${option}}`),
      seen: () =>
        eventually(() => existsSync(out), Boolean, 'the agent to start').then(() =>
          readFileSync(out, 'utf8'),
        ),
    };
  };
  return { create, tmux };
}

describe('text tmux would read as a format, a command list or a folder', {
  timeout: 180_000,
}, () => {
  it.each([
    ['a format that runs a command', (p: Place) => `n${p.attack}`],
    ['the host name', () => 'n#Hn'],
    ['a format of a session', () => '#{session_id}'],
    ['a final ;', () => 'semi;'],
  ])('new-session -s: a name with %s is the name, and runs nothing', async (_what, nameOf) => {
    const p = place();
    const { create } = await start(p);
    const name = nameOf(p);
    const made = await create({ name, cwd: p.base });
    expect(await made.name()).toBe(name);
    expect(made.runtime.name).toBe(name);
    await jobsHaveRun(p);
    expect(existsSync(p.proof)).toBe(false);
  });

  it.each([
    ['a format that runs a command', (p: Place) => join(p.base, `d${p.attack}`)],
    ['the host name', (p: Place) => join(p.base, 'h#H')],
    ['a final ;', (p: Place) => join(p.base, 'semi;')],
  ])('new-session -c: a folder with %s is where the agent starts', async (_what, pathOf) => {
    const p = place();
    const { create } = await start(p);
    const cwd = folder(pathOf(p));
    const made = await create({ cwd });
    expect(await made.folder()).toBe(cwd);
    await jobsHaveRun(p);
    expect(existsSync(p.proof)).toBe(false);
  });

  it('new-session -c: the default folder (the config, or where the control room started) too', async () => {
    const p = place();
    const cwd = folder(join(p.base, `start${p.attack}#H`));
    const { create } = await start(p, {}, cwd);
    const made = await create({});
    expect(await made.folder()).toBe(cwd);
    await jobsHaveRun(p);
    expect(existsSync(p.proof)).toBe(false);
  });

  it('new-session -c: a worktree of a repository whose folder holds a format', async () => {
    const p = place();
    const repo = gitRepo(join(p.base, `repo${p.attack}#H`));
    const { create } = await start(p);
    const made = await create({ worktree: { repo }, ticket: 'OPS-1' });
    expect(await made.folder()).toBe(join(`${repo}-worktrees`, 'ops-1'));
    await jobsHaveRun(p);
    expect(existsSync(p.proof)).toBe(false);
  });

  it('refuses a folder that is not there, rather than starting the agent elsewhere', async () => {
    const p = place();
    const { create, tmux } = await start(p);
    await expect(create({ cwd: join(p.base, 'gone#H') })).rejects.toThrow(/not a folder/);
    expect(await tmux.run(['list-sessions', '-F', '#{session_name}'])).toBe('');
  });

  it('refuses a folder inside a repository as the repository of a worktree', async () => {
    const p = place();
    const repo = gitRepo(join(p.base, 'repo'));
    const inner = folder(join(repo, 'sub'));
    const { create } = await start(p);
    await expect(create({ worktree: { repo: inner } })).rejects.toThrow(/not the top folder/);
    expect(existsSync(`${inner}-worktrees`)).toBe(false);
  });

  it('-e, the command, set-option values and targets are not formats: they arrive as written', async () => {
    const p = place();
    const value = `v${p.attack}#H;`;
    const { create, tmux } = await start(p, { V: value });
    const ticket = `T${p.attack}#H;`;
    const made = await create({ name: 'x#H;', ticket, cwd: p.base });
    expect(await made.seen()).toBe(`${value}|#H;`);
    expect(await made.option('@cr_ticket')).toBe(ticket);
    expect(made.runtime.ticket).toBe(ticket);
    // An exact target with the name finds the session by its name as written.
    await tmux.run(['has-session', '-t', '=x#H;']);
    await expect(tmux.run(['has-session', '-t', '=x#H'])).rejects.toThrow(/can't find/);
    await jobsHaveRun(p);
    expect(existsSync(p.proof)).toBe(false);
  });
});
