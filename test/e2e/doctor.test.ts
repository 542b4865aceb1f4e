import { chmod, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeResult, homeCli, parseJson } from './helpers/cli.js';

interface DoctorReport {
  ok: boolean;
  checks: { name: string; status: 'ok' | 'warn' | 'fail'; detail: string; hint?: string }[];
}

// A server name nobody runs: doctor must not look at the user's default tmux server in tests.
const NO_SERVER = `cr-e2e-none-${process.pid}`;
const CHECKS = [
  'node',
  'tmux',
  'tmux server',
  'pty',
  'config',
  'profiles',
  'state folder',
  'database',
  'outbox',
];

/** A folder of stand-in agents (`codex`, `claude`, `aider`), for a PATH that finds every profile. */
async function agentsOnPath(): Promise<{ bin: string; env: Record<string, string> }> {
  const bin = await realpath(await mkdtemp(join(tmpdir(), 'cr-e2e-agents-')));
  onTestFinished(() => rm(bin, { recursive: true, force: true }));
  for (const name of ['codex', 'claude', 'aider']) {
    await writeFile(join(bin, name), '#!/bin/sh\nexit 0\n');
    await chmod(join(bin, name), 0o755);
  }
  return { bin, env: { PATH: `${bin}:${process.env.PATH ?? ''}`, SHELL: '/bin/sh' } };
}

describe('doctor', () => {
  it('exits 0 on a fresh home and prints a ✓ line for every check', async () => {
    const cr = await homeCli();
    const { env } = await agentsOnPath();
    const result = await cr.with({ env }, '--tmux-socket', NO_SERVER, 'doctor');
    expect(result.code, describeResult(result)).toBe(0);
    for (const name of CHECKS) {
      expect(result.stdout).toMatch(new RegExp(`^✓ ${name}: \\S`, 'm'));
    }
    expect(result.stdout).not.toContain('✗');
    expect(result.stdout).toMatch(new RegExp(`^✓ node: ${process.versions.node}$`, 'm'));
  });

  it('--json gives {ok: true, checks: [...]}', async () => {
    const cr = await homeCli();
    const { env } = await agentsOnPath();
    const result = await cr.with({ env }, '--json', '--tmux-socket', NO_SERVER, 'doctor');
    expect(result.code, describeResult(result)).toBe(0);
    const report = parseJson<DoctorReport>(result);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(CHECKS);
    for (const check of report.checks) {
      expect(check.status, `${check.name}: ${check.detail}`).toBe('ok');
      expect(typeof check.detail).toBe('string');
    }
    expect(report.checks.find((c) => c.name === 'config')?.detail).toBe(
      join(cr.home, 'config.yaml'),
    );
  });

  it('with a bad config exits 1 and fails the config check, naming the file', async () => {
    const cr = await homeCli();
    const file = join(cr.home, 'config.yaml');
    await writeFile(file, 'theme: dark\ncolour: red\n');

    const human = await cr('--tmux-socket', NO_SERVER, 'doctor');
    expect(human.code, describeResult(human)).toBe(1);
    expect(human.stdout).toMatch(/^✗ config: .*config\.yaml:2: colour: unknown setting/m);
    expect(human.stdout).toMatch(/^✓ database: /m);

    const result = await cr('--json', '--tmux-socket', NO_SERVER, 'doctor');
    expect(result.code, describeResult(result)).toBe(1);
    const report = parseJson<DoctorReport>(result);
    expect(report.ok).toBe(false);
    const config = report.checks.find((c) => c.name === 'config');
    expect(config?.status).toBe('fail');
    expect(config?.detail).toContain(file);
    expect(config?.detail).toContain('colour');
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.name)).toEqual(['config']);
  });

  it('warns of built-in profiles whose program is not on PATH, and fails a configured one', async () => {
    const cr = await homeCli();
    const { bin, env } = await agentsOnPath();
    await rm(join(bin, 'codex'));
    const warned = await cr.with({ env }, '--tmux-socket', NO_SERVER, 'doctor');
    expect(warned.code, describeResult(warned)).toBe(0);
    expect(warned.stdout).toMatch(
      /^! profiles: found: .*claude \(.*; not on PATH: codex \(codex\)$/m,
    );
    expect(warned.stdout).toMatch(/install the agents you use/);

    await writeFile(
      join(cr.home, 'config.yaml'),
      JSON.stringify({ profiles: { mine: { command: ['cr-no-such-agent', '--fast'] } } }),
    );
    const result = await cr.with({ env }, '--json', '--tmux-socket', NO_SERVER, 'doctor');
    expect(result.code, describeResult(result)).toBe(1);
    const profiles = parseJson<DoctorReport>(result).checks.find((c) => c.name === 'profiles');
    expect(profiles?.status).toBe('fail');
    expect(profiles?.detail).toContain('not on PATH: mine (cr-no-such-agent), codex (codex)');
  });
});
