import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { execa } from 'execa';
import { afterEach } from 'vitest';
import { socketPath } from '../../../src/adapters/tmux/socket-path.js';

/**
 * A private tmux server per test (`tmux -L cr-it-<random>`), never the user's default one;
 * killed, and its socket removed, after each test.
 */
export function privateTmuxPerTest(): {
  name: () => string;
  tmux: (...args: string[]) => Promise<string>;
} {
  let name = '';
  const names: string[] = [];
  afterEach(async () => {
    for (const n of names.splice(0)) {
      await execa('tmux', ['-L', n, 'kill-server'], { reject: false });
      rmSync(socketPath(n, process.env), { force: true });
    }
    name = '';
  });
  return {
    name: () => {
      if (!name) {
        name = `cr-it-${randomBytes(4).toString('hex')}`;
        names.push(name);
      }
      return name;
    },
    tmux: async (...args: string[]) => {
      if (!name) {
        name = `cr-it-${randomBytes(4).toString('hex')}`;
        names.push(name);
      }
      const result = await execa('tmux', ['-L', name, '-f', '/dev/null', ...args], {
        env: { TMUX: '' },
      });
      return result.stdout;
    },
  };
}

/** Resolves with the first value `read` gives that passes `check`, or fails after a deadline. */
export async function eventually<T>(
  read: () => T | Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
