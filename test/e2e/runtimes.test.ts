import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeResult, parseJson } from './helpers/cli.js';
import { cliOnPrivateTmux, type TmuxServer } from './helpers/tmux.js';

/**
 * `control-room runtimes …` and `hooks …`, run as the built CLI against a private tmux server per
 * test (`--tmux-socket cr-e2e-<random>`, started with `-f /dev/null`), never the default one.
 */

interface RuntimeJson {
  id: string;
  name: string;
  profile: string | null;
  cwd: string;
  state: string;
  ticket: string | null;
  createdAt: string;
  lastActivityAt: string;
  command: string;
  host: string;
  adopted: boolean;
}

const STATES = ['starting', 'idle', 'busy', 'needs_input', 'exited'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const ID = /^rt_\d+_[0-9a-z]+$/;

const cliOnTmux = cliOnPrivateTmux();

/** The CLI on a fresh home, always on this test's private server. */
async function setUp() {
  const { server, cr } = await cliOnTmux();
  const list = async (): Promise<RuntimeJson[]> => {
    const result = await cr('--json', 'runtimes', 'list');
    expect(result.code, describeResult(result)).toBe(0);
    return parseJson<RuntimeJson[]>(result);
  };
  return { server, cr, list, sessions: () => server.sessionNames() };
}

/**
 * Starts the server with `-f /dev/null` through a session of our own (a session the CLI did not
 * make: profile null), so the CLI never starts it with the user's tmux.conf.
 */
async function startServer(server: TmuxServer): Promise<void> {
  await server.newSession('keep', ['sleep', '600']);
}

async function tempFolder(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'cr-e2e-cwd-')));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('runtimes list', () => {
  it('with no server exits 0 with nothing listed, and starts no server', async () => {
    const { server, cr } = await setUp();
    const human = await cr('runtimes', 'list');
    expect(human.code, describeResult(human)).toBe(0);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain('no runtimes');

    const json = await cr('--json', 'runtimes', 'list');
    expect(json.code, describeResult(json)).toBe(0);
    expect(parseJson(json)).toEqual([]);

    await expect(server.run(['list-sessions'])).rejects.toThrow(
      /no server running|error connecting/,
    );
  });

  it('on a server without sessions exits 0 with nothing listed', async () => {
    const { server, cr } = await setUp();
    await server.run(['start-server', ';', 'set', '-g', 'exit-empty', 'off']);
    const json = await cr('--json', 'runtimes', 'list');
    expect(json.code, describeResult(json)).toBe(0);
    expect(parseJson(json)).toEqual([]);
    const human = await cr('runtimes', 'list');
    expect(human.code, describeResult(human)).toBe(0);
    expect(human.stderr).toContain('no runtimes');
  });
});

describe('runtimes new', () => {
  it('starts a shell runtime, prints its id, and lists it with every field', async () => {
    const { server, cr, list, sessions } = await setUp();
    await startServer(server);
    const cwd = await tempFolder();
    const made = await cr('runtimes', 'new', '--profile', 'shell', '--name', 'one', '--cwd', cwd);
    expect(made.code, describeResult(made)).toBe(0);
    const id = made.stdout.trim().split(/\s+/)[0] ?? '';
    expect(id).toMatch(ID);
    expect(made.stdout).toContain('one');

    expect(await sessions()).toContain('one');
    const runtimes = await list();
    const runtime = runtimes.find((r) => r.id === id);
    expect(runtime, JSON.stringify(runtimes)).toBeDefined();
    expect(runtime).toMatchObject({
      id,
      name: 'one',
      profile: 'shell',
      cwd,
      ticket: null,
      host: 'local',
      adopted: false,
    });
    expect(Object.keys(runtime ?? {})).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'profile',
        'cwd',
        'state',
        'ticket',
        'createdAt',
        'lastActivityAt',
        'command',
        'host',
        'adopted',
      ]),
    );
    expect(STATES).toContain(runtime?.state);
    expect(runtime?.createdAt).toMatch(ISO);
    expect(runtime?.lastActivityAt).toMatch(ISO);
    expect(typeof runtime?.command).toBe('string');
    expect(runtime?.command).not.toBe('');
    // The session the CLI did not make is listed too, as nobody's.
    expect(runtimes.find((r) => r.name === 'keep')).toMatchObject({ profile: null, ticket: null });
  });

  it('with --ticket binds the ticket and names the session after it', async () => {
    const { server, cr, list } = await setUp();
    await startServer(server);
    const cwd = await tempFolder();
    expect((await cr('tickets', 'add', '--key', 'OPS-7', '--title', 'seven')).code).toBe(0);
    const made = await cr(
      'runtimes',
      'new',
      '--profile',
      'shell',
      '--ticket',
      'OPS-7',
      '--cwd',
      cwd,
    );
    expect(made.code, describeResult(made)).toBe(0);
    const id = made.stdout.trim().split(/\s+/)[0] ?? '';
    expect(id).toMatch(ID);
    const runtime = (await list()).find((r) => r.id === id);
    expect(runtime).toMatchObject({ name: 'cr-ops-7', ticket: 'OPS-7', profile: 'shell' });
    expect((await server.run(['show-options', '-v', '-t', 'cr-ops-7', '@cr_ticket'])).trim()).toBe(
      'OPS-7',
    );
  });

  it('on a server without sessions starts the runtime', async () => {
    const { server, cr, list } = await setUp();
    await server.run(['start-server', ';', 'set', '-g', 'exit-empty', 'off']);
    const cwd = await tempFolder();
    expect((await cr('tickets', 'add', '--key', 'OPS-8', '--title', 'eight')).code).toBe(0);
    const made = await cr(
      'runtimes',
      'new',
      '--profile',
      'shell',
      '--ticket',
      'OPS-8',
      '--cwd',
      cwd,
    );
    expect(made.code, describeResult(made)).toBe(0);
    expect((await list()).map((r) => r.name)).toEqual(['cr-ops-8']);
  });

  it('refuses an unknown profile, naming the known ones, and starts nothing', async () => {
    const { server, cr, sessions } = await setUp();
    await startServer(server);
    const result = await cr('runtimes', 'new', '--profile', 'nope', '--name', 'never');
    expect(result.code, describeResult(result)).not.toBe(0);
    expect(result.stderr).toContain('nope');
    for (const known of ['codex', 'claude', 'aider', 'shell']) {
      expect(result.stderr).toContain(known);
    }
    expect(await sessions()).toEqual(['keep']);
  });
});

describe('runtimes close', () => {
  it('ends a runtime: it is gone from the list and from tmux', async () => {
    const { server, cr, list, sessions } = await setUp();
    await startServer(server);
    const cwd = await tempFolder();
    const made = await cr('runtimes', 'new', '--profile', 'shell', '--name', 'one', '--cwd', cwd);
    expect(made.code, describeResult(made)).toBe(0);
    const id = made.stdout.trim().split(/\s+/)[0] ?? '';
    expect((await list()).map((r) => r.id)).toContain(id);

    const closed = await cr('runtimes', 'close', id);
    expect(closed.code, describeResult(closed)).toBe(0);
    expect((await list()).map((r) => r.id)).not.toContain(id);
    expect(await sessions()).toEqual(['keep']);
  });

  it('exits 1 for an id that does not exist', async () => {
    const { server, cr, sessions } = await setUp();
    await startServer(server);
    const result = await cr('runtimes', 'close', 'rt_999_zz');
    expect(result.code, describeResult(result)).toBe(1);
    expect(result.stderr).toContain('rt_999_zz');
    expect(await sessions()).toEqual(['keep']);
  });
});

describe('hooks', () => {
  it('prints the Claude Code hooks as JSON on stdout, and where they go on stderr', async () => {
    const { cr } = await setUp();
    const human = await cr('hooks', 'claude');
    expect(human.code, describeResult(human)).toBe(0);
    // The whole of stdout is the settings: `hooks claude > settings.json` is valid JSON.
    const settings = JSON.parse(human.stdout) as { hooks: Record<string, unknown> };
    expect(Object.keys(settings.hooks)).toContain('UserPromptSubmit');
    expect(human.stderr).toContain('~/.claude/settings.json');
    expect(human.stderr).toMatch(/restart Claude Code/);

    const json = await cr('--json', 'hooks', 'claude');
    expect(json.code, describeResult(json)).toBe(0);
    const config = parseJson<{ profile: string; text: string }>(json);
    expect(config.profile).toBe('claude');
    expect(
      Object.keys((JSON.parse(config.text) as { hooks: Record<string, unknown> }).hooks),
    ).toContain('UserPromptSubmit');
  });

  it('prints the Codex notify line as TOML on stdout, and where it goes on stderr', async () => {
    const { cr } = await setUp();
    const result = await cr('hooks', 'codex');
    expect(result.code, describeResult(result)).toBe(0);
    // Every line of stdout is TOML: a comment or the one top-level key of literal strings.
    const lines = result.stdout.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) {
      expect(line).toMatch(/^(#.*|notify = \[('[^'\n]*'(, )?)+\])$/);
    }
    expect(lines.filter((line) => line.startsWith('notify = '))).toHaveLength(1);
    expect(result.stderr).toContain('~/.codex/config.toml');
    expect(result.stderr).toMatch(/top-level key/);
  });

  it('says Aider has no hooks, on stderr, with nothing on stdout', async () => {
    const { cr } = await setUp();
    const result = await cr('hooks', 'aider');
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stderr).toMatch(/no hooks/i);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a profile it does not know', async () => {
    const { cr } = await setUp();
    const result = await cr('hooks', 'nope');
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('nope');
    expect(result.stdout).toBe('');
  });
});
