import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { sanitizeForPaste } from '../../src/adapters/tmux/paste.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import type { Profile } from '../../src/domain/index.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * A line typed into a runtime (`i` on the screen: LocalTmuxDriver.typeLine) arrives byte for byte
 * as typed, whatever it holds: the pane's program reads its terminal raw and writes every byte
 * to a file. Over the control-mode connection (tmux's command parser reads the line) and over a
 * tmux process (tmux splits its arguments at a final `;`) alike.
 */

const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();

/** Lines tmux's parser, or a process's arguments, would change if not written for it. */
const EXAMPLES = [
  '~/x',
  '~nosuchuser',
  '"~/x"',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: tmux's own variable syntax, typed
  '$HOME ${HOME}',
  "it's",
  'a;',
  ';',
  'a\\;',
  '#{pane_id} #(true) #H',
  '{x}',
  '%if 1',
  '"q" \\ \\n',
  ' ~ leading space',
  '-l',
];

async function rawPane(path: 'control' | 'process') {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const out = join(dirs.make(), 'typed');
  const profiles: Record<string, Profile> = {
    raw: {
      name: 'raw',
      command: ['sh', '-c', 'stty raw -echo && exec cat > "$OUT"'],
      env: { OUT: out },
      detector: 'generic',
    },
  };
  const tmux = new TmuxClient({ socketName: server.name() });
  const watcher = new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 });
  const driver = new LocalTmuxDriver({ tmux, watcher, profiles, enterDelayMs: 0 });
  const runtime = await driver.create({ profile: 'raw', cwd: dirs.make() });
  // The pane is raw once its program has made the file.
  await eventually(() => existsSync(out), Boolean, 'the raw reader to start');
  if (path === 'control') {
    watcher.start();
    await eventually(() => watcher.connected, Boolean, 'the control connection');
  }
  let seen = 0;
  return {
    watcher,
    /** Types one line; resolves with the bytes the pane got for it (up to its Enter) and those typed. */
    async type(text: string): Promise<{ got: Buffer; want: Buffer }> {
      await driver.typeLine(runtime.id, text);
      // No typed line holds a CR (a line break is a space): the Enter ends the line.
      const all = await eventually(
        () => readFileSync(out),
        (bytes) => bytes.indexOf(0x0d, seen) >= 0,
        `the line ${JSON.stringify(text)} to arrive`,
      );
      const end = all.indexOf(0x0d, seen) + 1;
      const got = all.subarray(seen, end);
      seen = end;
      const want = Buffer.from(`${sanitizeForPaste(text).replace(/\n/g, ' ')}\r`);
      return { got, want };
    },
  };
}

/** Text a line can hold: anything (lines of one space or less are refused), at most 4 KB. */
const line = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 60 })
  .filter((text) => sanitizeForPaste(text).replace(/\n/g, ' ').length > 0);

describe.each(['control', 'process'] as const)('a line typed over the %s path', (path) => {
  it('arrives byte for byte as typed', async () => {
    const pane = await rawPane(path);
    try {
      await fc.assert(
        fc.asyncProperty(line, async (text) => {
          const { got, want } = await pane.type(text);
          expect(got.toString('hex')).toBe(want.toString('hex'));
          if (path === 'control') expect(pane.watcher.connected).toBe(true);
        }),
        { numRuns: path === 'control' ? 150 : 40, examples: EXAMPLES.map((text) => [text]) },
      );
    } finally {
      pane.watcher.stop();
    }
  });
});
