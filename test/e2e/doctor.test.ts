import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
  'state folder',
  'database',
  'outbox',
];

describe('doctor', () => {
  it('exits 0 on a fresh home and prints a ✓ line for every check', async () => {
    const cr = await homeCli();
    const result = await cr('--tmux-socket', NO_SERVER, 'doctor');
    expect(result.code, describeResult(result)).toBe(0);
    for (const name of CHECKS) {
      expect(result.stdout).toMatch(new RegExp(`^✓ ${name}: \\S`, 'm'));
    }
    expect(result.stdout).not.toContain('✗');
    expect(result.stdout).toMatch(new RegExp(`^✓ node: ${process.versions.node}$`, 'm'));
  });

  it('--json gives {ok: true, checks: [...]}', async () => {
    const cr = await homeCli();
    const result = await cr('--json', '--tmux-socket', NO_SERVER, 'doctor');
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
});
