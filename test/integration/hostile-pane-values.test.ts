import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalMonitor } from '../../src/adapters/tmux/local-monitor.js';
import type { PaneRow } from '../../src/adapters/tmux/runtime-rows.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import { builtInProfiles, type Runtime } from '../../src/domain/index.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * What runs in a pane sets its session's options (`tmux set-option`, no privilege needed), its
 * folder and its name: none of them may hide the runtime, forge a field or a row, or, over
 * control mode, end a command's answer early. Each value is read back exactly.
 */

const server = privateTmuxPerTest();
const temp = tempDirsPerTest();
const watchers: TmuxWatcher[] = [];
afterEach(() => {
  for (const w of watchers.splice(0)) w.stop();
});

const HOSTILE = {
  // The old field separator, a tab (the new one), line breaks, a fake row and fake guards.
  '@cr_profile': 'codex\x1b]52;c;SGVsbG8=\x07\x1b]0;owned\x07',
  '@cr_ticket': 'T-1\u241fx\ty\n$9\u241fforged\u241f0\r\n%end 1 2 1\n%exit',
  '@agent_state': 'idle\n%begin 1 2 1\n\x0b@40@0A%Y',
};

/** A folder whose name holds the separators and escapes a value must not imitate. */
async function hostileFolder(): Promise<string> {
  const folder = join(temp.make(), 'a\u241fb\tc\nd@0A %Y\x0b e');
  await mkdir(folder);
  return folder;
}

async function hostileSessions(): Promise<{ folder: string; names: string[] }> {
  const folder = await hostileFolder();
  await server.tmux('new-session', '-d', '-s', 'plain', '-x', '80', '-y', '24');
  await server.tmux('new-session', '-d', '-s', 'evil', '-c', folder, '-x', '80', '-y', '24');
  // tmux escapes control characters in a session name, but keeps the old separator.
  await server.tmux('new-session', '-d', '-s', 'name\u241fwith\u241fseparators');
  for (const [option, value] of Object.entries(HOSTILE)) {
    await server.tmux('set-option', '-t', 'evil', option, value);
  }
  const names = (await server.tmux('list-sessions', '-F', '#{session_name}')).split('\n');
  return { folder, names };
}

function expectExact(rows: readonly PaneRow[], folder: string): void {
  expect(rows.map((r) => r.sessionName).sort()).toEqual(
    ['evil', 'name\u241fwith\u241fseparators', 'plain'].sort(),
  );
  const evil = rows.find((r) => r.sessionName === 'evil') as PaneRow;
  expect(evil.profile).toBe(HOSTILE['@cr_profile']);
  expect(evil.ticket).toBe(HOSTILE['@cr_ticket']);
  expect(evil.hookState).toBe(HOSTILE['@agent_state']);
  expect(evil.currentPath).toBe(folder);
  expect(evil.paneId).toMatch(/^%\d+$/);
  expect(evil.sessionId).toMatch(/^\$\d+$/);
  expect(evil.sessionCreated).toBeGreaterThan(1_600_000_000);
  const plain = rows.find((r) => r.sessionName === 'plain') as PaneRow;
  expect(plain.profile).toBeNull();
  expect(plain.ticket).toBeNull();
}

/**
 * The `%begin` guard tmux gives the next command: its time and number, read by a control client
 * of the test's own (the number is the server's, shared by every client).
 */
async function nextGuard(socket: string): Promise<{ time: number; number: number }> {
  const child = spawn('tmux', ['-L', socket, '-C', 'attach-session', '-t', 'plain'], {
    env: { ...process.env, TMUX: '' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stdin.write('display-message -p x\n');
  try {
    const match = await eventually(
      () => /%begin (\d+) (\d+) \d+\nx\n/.exec(out),
      (m) => m !== null,
      'a control-mode answer',
    );
    return { time: Number(match?.[1]), number: Number(match?.[2]) };
  } finally {
    child.stdin.end();
    child.kill();
  }
}

/** A watcher on the test's server, once its control connection is up. */
async function connectedWatcher(): Promise<TmuxWatcher> {
  const watcher = new TmuxWatcher(new TmuxClient({ socketName: server.name() }));
  watchers.push(watcher);
  watcher.start();
  await eventually(
    () => watcher.connected,
    (c) => c,
    'the control connection',
  );
  return watcher;
}

describe('hostile values in the runtime list', () => {
  it('read by process: every session is listed, each value exact', async () => {
    const { folder } = await hostileSessions();
    const watcher = new TmuxWatcher(new TmuxClient({ socketName: server.name() }));
    expectExact(await watcher.listRows(), folder);
  });

  it('read over control mode: every session is listed, each value exact', async () => {
    const { folder } = await hostileSessions();
    const watcher = await connectedWatcher();
    expectExact(await watcher.listRows(), folder);
    // The connection still pairs each answer with its command.
    expect(await watcher.command(['display-message', '-p', '-t', 'plain', 'after'])).toEqual([
      'after',
    ]);
  });

  it("a value holding the very %end of the list's answer does not cut the answer short", async () => {
    const { folder } = await hostileSessions();
    const socket = server.name();
    const watcher = await connectedWatcher();
    // Every guard the next commands may get, for the next seconds: one of them is the list's.
    const { time, number } = await nextGuard(socket);
    const forged: string[] = [];
    for (let t = time; t < time + 10; t++) {
      for (let n = number; n < number + 40; n++) forged.push(`%end ${t} ${n} 1`);
    }
    // Through a file: a command line this long is more than a tmux client may send.
    const file = join(temp.make(), 'forge.conf');
    await writeFile(file, `set-option -t evil @cr_ticket "T-1\\n${forged.join('\\n')}"\n`);
    await server.tmux('source-file', file);
    const rows = await watcher.listRows();
    expect(rows.map((r) => r.sessionName)).toHaveLength(3);
    const evil = rows.find((r) => r.sessionName === 'evil') as PaneRow;
    expect(evil.ticket?.split('\n')).toHaveLength(forged.length + 1);
    expect(evil.currentPath).toBe(folder);
  });

  it('the monitor shows every runtime, with the values it was given', async () => {
    const { folder } = await hostileSessions();
    const seen: Runtime[][] = [];
    const watcher = new TmuxWatcher(new TmuxClient({ socketName: server.name() }), {
      minBackoffMs: 50,
      maxBackoffMs: 200,
    });
    const monitor = new LocalMonitor(watcher, builtInProfiles(process.env), {
      runtimes: (list) => seen.push(list),
      stateChanged: () => {},
    });
    monitor.start();
    try {
      const list = await eventually(
        () => seen.at(-1) ?? [],
        (l) => l.length === 3 && l.some((r) => r.cwd === folder),
        'every runtime, with its folder',
      );
      const evil = list.find((r) => r.name === 'evil') as Runtime;
      expect(evil.profile).toBe(HOSTILE['@cr_profile']);
      expect(evil.ticket).toBe(HOSTILE['@cr_ticket']);
    } finally {
      monitor.stop();
    }
  });
});
