import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveSource, OutputListener, ScreenWatch } from '../../src/domain/live.js';
import {
  type Recording,
  Recordings,
  recordingFileName,
  startRecording,
} from '../../src/services/recording/index.js';
import { redrawText } from '../../src/services/recording/screen-redraw.js';
import { readCast as readLiveCast } from '../integration/helpers/live-cast.js';

/** A LiveSource the test drives by hand: one output listener per runtime. */
class FakeSource implements LiveSource {
  readonly listeners = new Map<string, OutputListener>();
  unsubscribed = 0;
  constructor(readonly host = 'fake') {}
  watchScreen(): ScreenWatch {
    throw new Error('not used');
  }
  output(id: string, listener: OutputListener): () => void {
    this.listeners.set(id, listener);
    return () => {
      this.unsubscribed += 1;
      this.listeners.delete(id);
    };
  }
  emit(id: string, bytes: Buffer | string): void {
    this.listeners.get(id)?.data(Buffer.from(bytes));
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cr-cast-'));
  dirs.push(dir);
  return dir;
}

/** The header and the events of a finished file; every line must be complete JSON. */
function readCast(file: string) {
  const cast = readLiveCast(file);
  expect(cast.complete).toBe(true);
  return cast;
}

/** A clock the test sets: ms since the epoch. */
function clock(start: number) {
  const state = { ms: start };
  return { now: () => state.ms, state };
}

describe('startRecording', () => {
  it('writes a v2 header, then timed output events, and a complete file on stop', async () => {
    const source = new FakeSource();
    const file = path.join(tempDir(), 'deep', 'er', 'one.cast');
    const time = clock(1_700_000_000_500);
    const recording = await startRecording({
      source,
      runtimeId: 'rt_1',
      file,
      width: 120,
      height: 40,
      title: 'agent \x1b]0;evil\x07one',
      now: time.now,
    });
    time.state.ms += 250;
    source.emit('rt_1', 'hello \x1b[31mred\x1b[0m\r\n');
    time.state.ms -= 100; // a clock that goes back must not make time go back in the file
    source.emit('rt_1', 'two');
    time.state.ms += 1_000;
    source.emit('rt_1', 'three');
    await recording.stop();
    await recording.stop();

    const { header, events } = readCast(file);
    expect(header).toEqual({
      version: 2,
      width: 120,
      height: 40,
      timestamp: 1_700_000_000,
      title: 'agent one',
      env: { TERM: 'tmux-256color' },
    });
    expect(events).toEqual([
      [0.25, 'o', 'hello \x1b[31mred\x1b[0m\r\n'],
      [0.25, 'o', 'two'],
      [1.15, 'o', 'three'],
    ]);
    expect(recording.events).toBe(3);
    expect(recording.bytes).toBe(statSync(file).size);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(source.unsubscribed).toBe(1);
    // Nothing is written after stop.
    source.emit('rt_1', 'late');
    expect(readCast(file).events).toHaveLength(3);
  });

  it('keeps a character cut between two chunks whole', async () => {
    const source = new FakeSource();
    const file = path.join(tempDir(), 'split.cast');
    const recording = await startRecording({ source, runtimeId: 'r', file, width: 80, height: 24 });
    const text = Buffer.from('a€b😀c', 'utf8');
    // Cut inside the euro sign (3 bytes) and inside the emoji (4 bytes).
    source.emit('r', text.subarray(0, 2));
    source.emit('r', text.subarray(2, 6));
    source.emit('r', text.subarray(6));
    await recording.stop();
    const events = readCast(file).events;
    expect(events.map((e) => e[2]).join('')).toBe('a€b😀c');
    expect(events.every((e) => !String(e[2]).includes('\uFFFD'))).toBe(true);
  });

  it('marks lost output, and flushes a cut character as a replacement on stop', async () => {
    const source = new FakeSource();
    const file = path.join(tempDir(), 'gap.cast');
    const recording = await startRecording({ source, runtimeId: 'r', file, width: 80, height: 24 });
    source.emit('r', 'x');
    source.listeners.get('r')?.dropped?.(4096);
    source.emit('r', Buffer.from([0xe2, 0x82]));
    await recording.stop();
    const events = readCast(file).events;
    expect(events.map((e) => [e[1], e[2]])).toEqual([
      ['o', 'x'],
      ['m', 'the host dropped 4096 bytes of output'],
      ['o', '\uFFFD'],
    ]);
  });

  it('closes itself when the runtime ends, then says why', async () => {
    const source = new FakeSource();
    const file = path.join(tempDir(), 'end.cast');
    let endedWith: string | null = null;
    let complete = '';
    const ended = new Promise<void>((resolve) => {
      void startRecording({
        source,
        runtimeId: 'r',
        file,
        width: 80,
        height: 24,
        ended: (reason) => {
          endedWith = reason;
          complete = readFileSync(file, 'utf8');
          resolve();
        },
      }).then(() => {
        source.emit('r', 'last words');
        source.listeners.get('r')?.ended('exited');
      });
    });
    await ended;
    expect(endedWith).toBe('exited');
    expect(complete.split('\n').filter(Boolean)).toHaveLength(2);
    expect(source.unsubscribed).toBe(1);
  });

  it('refuses an existing file, and a size that is not a terminal size', async () => {
    const source = new FakeSource();
    const file = path.join(tempDir(), 'taken.cast');
    writeFileSync(file, 'keep me');
    await expect(
      startRecording({ source, runtimeId: 'r', file, width: 80, height: 24 }),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    await expect(
      startRecording({ source, runtimeId: 'r', file: `${file}2`, width: 0, height: 24 }),
    ).rejects.toThrow(/width/);
    expect(source.listeners.size).toBe(0);
  });
});

describe('recordingFileName', () => {
  it('puts a safe name and the local time under <stateDir>/recordings', () => {
    const date = new Date(2026, 10, 5, 6, 7, 8);
    expect(recordingFileName('/state', 'mc-4429.agent_1', date)).toBe(
      '/state/recordings/mc-4429.agent_1-20261105-060708.cast',
    );
    expect(recordingFileName('/state', '../../etc/pass wd', date)).toBe(
      '/state/recordings/___.._etc_pass_wd-20261105-060708.cast',
    );
    expect(recordingFileName('/state', '', date)).toBe(
      '/state/recordings/runtime-20261105-060708.cast',
    );
    expect(path.basename(recordingFileName('/s', 'x'.repeat(500), date)).length).toBeLessThan(90);
  });
});

describe('Recordings', () => {
  it('starts, lists, toggles and stops recordings by host and id', async () => {
    const stateDir = tempDir();
    const one = new FakeSource('one');
    const two = new FakeSource('two');
    let changes = 0;
    const recordings = new Recordings({
      stateDir,
      now: () => new Date(2026, 0, 2, 3, 4, 5).getTime(),
      changed: () => {
        changes += 1;
      },
    });
    const args = { runtimeId: 'rt_1', runtimeName: 'same', width: 80, height: 24 };
    const first = await recordings.start({ ...args, source: one });
    expect(await recordings.start({ ...args, source: one })).toBe(first);
    // The same id on another host is another runtime; the same second gets a suffixed name.
    const second = (await recordings.toggle({ ...args, source: two })) as Recording;
    expect(path.basename(first.file)).toBe('same-20260102-030405.cast');
    expect(path.basename(second.file)).toBe('same-20260102-030405-2.cast');
    expect([recordings.isRecording('one', 'rt_1'), recordings.isRecording('two', 'rt_1')]).toEqual([
      true,
      true,
    ]);
    expect(recordings.list().map((e) => `${e.host}:${e.id}`)).toEqual(['one:rt_1', 'two:rt_1']);

    expect(await recordings.toggle({ ...args, source: one })).toBeNull();
    expect(recordings.isRecording('one', 'rt_1')).toBe(false);
    expect(one.unsubscribed).toBe(1);
    await recordings.stopAll();
    expect(recordings.list()).toEqual([]);
    expect(two.unsubscribed).toBe(1);
    expect(changes).toBeGreaterThanOrEqual(4);
    expect(readCast(second.file).header).toMatchObject({ version: 2, title: 'same' });
  });

  it('forgets a recording whose runtime ended, and reports it', async () => {
    const source = new FakeSource('h');
    const ended: string[] = [];
    const recordings = new Recordings({
      stateDir: tempDir(),
      ended: (host, id, reason) => ended.push(`${host}:${id} ${reason}`),
    });
    await recordings.start({ source, runtimeId: 'r', runtimeName: 'n', width: 80, height: 24 });
    source.listeners.get('r')?.ended('not_found 404: gone');
    await expect.poll(() => ended).toEqual(['h:r not_found 404: gone']);
    expect(recordings.isRecording('h', 'r')).toBe(false);
  });
});

describe('redrawText', () => {
  it('draws each line at its row with SGR only, and places the cursor inside the screen', () => {
    const text = redrawText({
      cols: 10,
      rows: 3,
      lines: ['\x1b[31mred\x1b[0m', '', 'a\x1b]0;title\x07b\x1b[2Jc', 'beyond the rows'],
      cursor: { x: 40, y: 1 },
    });
    expect(text).toBe(
      '\x1b[0m\x1b[H\x1b[2J\x1b[1;1H\x1b[31mred\x1b[0m\x1b[3;1Habc\x1b[0m\x1b[2;10H',
    );
  });
});
