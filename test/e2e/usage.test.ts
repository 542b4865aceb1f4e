import { describe, expect, it } from 'vitest';
import { describeResult, makeHome, packageVersion, runCli } from './helpers/cli.js';

describe('control-room usage', () => {
  it('--version prints the package.json version, with and without other options', async () => {
    const version = await packageVersion();
    const bare = await runCli(null, ['--version']);
    expect(bare.code, describeResult(bare)).toBe(0);
    expect(bare.stdout).toBe(`${version}\n`);

    const home = await makeHome();
    const withHome = await runCli(home, ['--version']);
    expect(withHome.code, describeResult(withHome)).toBe(0);
    expect(withHome.stdout.trim()).toBe(version);
  });

  it('--help exits 0 and describes the program and its commands', async () => {
    const home = await makeHome();
    const result = await runCli(home, ['--help']);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toContain('Usage: control-room');
    expect(result.stdout).toContain('Without a subcommand it opens the control room');
    expect(result.stdout).toMatch(/^\s+tickets\s+list, add, import and move tickets$/m);
    expect(result.stdout).toMatch(/^\s+doctor\s+check /m);
    expect(result.stdout).toContain('--home <dir>');
  });

  it('tickets --help exits 0 and lists the ticket subcommands', async () => {
    const home = await makeHome();
    const result = await runCli(home, ['tickets', '--help']);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toContain('Usage: control-room tickets');
    for (const command of ['list', 'add', 'import <files...>', 'show <key>', 'set-state']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command.replace(/[.]/g, '\\.')}`, 'm'));
    }
  });

  it('tickets import --help exits 0 and describes the import', async () => {
    const home = await makeHome();
    const result = await runCli(home, ['tickets', 'import', '--help']);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toContain('Usage: control-room tickets import [options] <files...>');
    expect(result.stdout).toContain('all or nothing per file');
    expect(result.stdout).toMatch(/Markdown/);
  });

  it('an unknown subcommand exits 2 and says so on stderr', async () => {
    const home = await makeHome();
    const result = await runCli(home, ['tickets', 'frobnicate']);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stdout).toBe('');
  });

  it('an unknown top-level command exits 2', async () => {
    const home = await makeHome();
    const result = await runCli(home, ['frobnicate']);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).not.toBe('');
  });

  it('a missing required option exits 2 and names the option', async () => {
    const home = await makeHome();
    const result = await runCli(home, ['tickets', 'add', '--severity', 'high']);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain("required option '--title <title>' not specified");
    expect(result.stdout).toBe('');
  });

  it('a missing required argument exits 2', async () => {
    const home = await makeHome();
    const result = await runCli(home, ['tickets', 'show']);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain("missing required argument 'key'");
  });
});
