import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, cleanEnv, describeResult, homeCli } from './helpers/cli.js';

/**
 * `control-room tickets list | head`: the reader closes the pipe after its first lines. The
 * command must stop quietly, as a Unix tool killed by SIGPIPE does (exit 141), not report a
 * failure on stderr.
 */
function listIntoClosingReader(home: string, args: string[]) {
  return new Promise<{ code: number | null; stderr: string; read: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, '--home', home, ...args], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let read = 0;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.once('data', (chunk: Buffer) => {
      read = chunk.length;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, read }));
  });
}

describe('a reader that closes the pipe early', () => {
  it('ends the listing quietly with exit 141, in JSON and as a table', async () => {
    const cr = await homeCli();
    const file = join(cr.home, 'many.json');
    const tickets = Array.from({ length: 3000 }, (_, i) => ({
      title: `finding ${i}: ${'a long title '.repeat(8)}`,
      severity: 'low',
    }));
    await writeFile(file, JSON.stringify(tickets));
    const imported = await cr('tickets', 'import', file);
    expect(imported.code, describeResult(imported)).toBe(0);

    for (const args of [
      ['--json', 'tickets', 'list'],
      ['tickets', 'list'],
    ]) {
      const result = await listIntoClosingReader(cr.home, args);
      expect(result.read, args.join(' ')).toBeGreaterThan(0);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(141);
    }
  });
});
