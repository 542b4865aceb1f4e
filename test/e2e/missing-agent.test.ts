import { chmod, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeResult, parseJson } from './helpers/cli.js';
import type { PickupTicket } from './helpers/pickup-env.js';
import { cliOnPrivateTmux } from './helpers/tmux.js';

/**
 * A profile whose program is not on the PATH the tmux server would start it with: refused before
 * anything starts, saying so and what to do, through the built CLI on a private tmux server. The
 * program exists, in a folder of its own that only one profile's PATH names.
 */

const cliOnTmux = cliOnPrivateTmux();

async function setUp() {
  // The server is started by the test (its PATH does not hold the agent's folder), never the CLI.
  const { server, cli, cr } = await cliOnTmux({ keep: true });
  const bin = await realpath(await mkdtemp(join(tmpdir(), 'cr-e2e-bin-')));
  onTestFinished(() => rm(bin, { recursive: true, force: true }));
  const agent = join(bin, 'cr-fake-agent');
  await writeFile(agent, '#!/bin/sh\nexec sleep 600\n');
  await chmod(agent, 0o755);
  await writeFile(
    join(cli.home, 'config.yaml'),
    JSON.stringify({
      profiles: {
        missing: { command: ['cr-fake-agent'] },
        relative: { command: ['./cr-fake-agent'] },
      },
    }),
  );
  /** The CLI with the agent's folder on its PATH: tmux looks the program up in the client's. */
  const crFound = (...args: string[]) =>
    cli.with(
      { env: { PATH: `${bin}:${process.env.PATH ?? ''}` } },
      '--tmux-socket',
      server.socket,
      ...args,
    );
  return { cr, crFound, bin, sessions: () => server.sessionNames() };
}

describe('a profile whose program is not installed', () => {
  it('runtimes new refuses it before starting anything, and starts it once the PATH finds it', async () => {
    const { cr, crFound, bin, sessions } = await setUp();
    const refused = await cr('runtimes', 'new', '--profile', 'missing', '--name', 'never');
    expect(refused.code, describeResult(refused)).toBe(2);
    expect(refused.stderr).toContain('cr-fake-agent is not installed here (not on PATH)');
    expect(refused.stderr).toContain('profiles.missing.command');
    expect(refused.stderr).not.toContain('no such session');
    expect(await sessions()).toEqual(['keep']);

    const elsewhere = await cr('runtimes', 'new', '--profile', 'relative', '--name', 'rel');
    expect(elsewhere.code, describeResult(elsewhere)).toBe(2);
    const here = await cr(
      'runtimes',
      'new',
      '--profile',
      'relative',
      '--name',
      'rel',
      '--cwd',
      bin,
    );
    expect(here.code, describeResult(here)).toBe(0);

    const made = await crFound('runtimes', 'new', '--profile', 'missing', '--name', 'found');
    expect(made.code, describeResult(made)).toBe(0);
    expect((await sessions()).sort()).toEqual(['found', 'keep', 'rel']);
  });

  it('pickup --new refuses it: exit 4, invalid, the ticket back in todo, nothing started', async () => {
    const { cr, sessions } = await setUp();
    const added = await cr('tickets', 'add', '--title', 'needs an agent');
    expect(added.code, describeResult(added)).toBe(0);
    const key = added.stdout.trim();
    const result = await cr('--json', 'pickup', key, '--new', 'missing');
    expect(result.code, describeResult(result)).toBe(4);
    const ticket = parseJson<PickupTicket>(result);
    expect(ticket.state).toBe('todo');
    expect(ticket.lastError).toMatchObject({ kind: 'invalid', host: 'local' });
    expect(ticket.lastError?.message).toContain(
      'cr-fake-agent is not installed here (not on PATH): install it',
    );
    expect(await sessions()).toEqual(['keep']);
  });
});
