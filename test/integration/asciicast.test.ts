import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLiveSource } from '../../src/adapters/tmux/pane-watcher.js';
import { runtimeId } from '../../src/adapters/tmux/runtime-rows.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { startRecording } from '../../src/services/recording/index.js';
import { readCast } from './helpers/live-cast.js';
import { liveHostPerTest } from './helpers/live-host.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * Recording a real tmux runtime through a real runtime host: the output stream of `host serve`'s
 * server, read by HttpLiveSource, written as an asciicast v2 file.
 */

const live = liveHostPerTest();
const local = privateTmuxPerTest();
const dirs = tempDirsPerTest();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const work of cleanups.splice(0).reverse()) await work();
});

/** Prints its line in green, with characters of two and three bytes, once a line is typed. */
const SCRIPT = `read x; printf '\\033[32mrec-%s\\033[0m é€ done\\n' "$x"; sleep 30`;

describe('asciicast recording of a real runtime', () => {
  it('writes a valid v2 file that holds what the runtime printed', async () => {
    const host = await live.start();
    const runtime = await host.runtime('rec', SCRIPT);
    const folder = path.join(dirs.make(), 'state', 'recordings');
    const file = path.join(folder, 'rec.cast');
    const recording = await startRecording({
      source: host.source(),
      runtimeId: runtime.id,
      file,
      width: 80,
      height: 24,
      title: runtime.name,
    });
    cleanups.push(() => recording.stop());
    await eventually(
      () => host.outputClients(),
      (n) => n === 1,
      'the recording listening',
    );
    // The screen at the start is read first; output before it is on that screen.
    await eventually(
      () => readCast(file).events.length,
      (n) => n > 0,
      'the screen at the start',
    );
    await host.type(runtime, 'abc');
    await eventually(
      () => readCast(file).output,
      (text) => text.includes('rec-abc'),
      'the printed line in the file',
    );
    await recording.stop();

    const { header, events, output, complete } = readCast(file);
    expect(complete).toBe(true);
    expect(header).toMatchObject({ version: 2, width: 80, height: 24, title: 'rec' });
    expect(Number.isInteger(header.timestamp)).toBe(true);
    expect(Math.abs((header.timestamp as number) - Date.now() / 1000)).toBeLessThan(120);
    expect((header.env as Record<string, unknown>).TERM).toEqual(expect.any(String));
    let last = 0;
    for (const event of events) {
      expect(event).toHaveLength(3);
      expect(event[1]).toBe('o');
      expect(typeof event[0]).toBe('number');
      expect(event[0] as number).toBeGreaterThanOrEqual(last);
      last = event[0] as number;
    }
    expect(events.length).toBe(recording.events);
    expect(output).toContain('\x1b[32mrec-abc\x1b[0m é€ done');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(file).size).toBe(recording.bytes);
    await eventually(
      () => host.outputClients(),
      (n) => n === 0,
      'the stream closed on stop',
    );
  });

  it('closes itself when the runtime ends, and says so', async () => {
    const host = await live.start();
    const runtime = await host.runtime('rec-end', SCRIPT);
    const file = path.join(dirs.make(), 'new', 'folder', 'end.cast');
    const ended: string[] = [];
    const recording = await startRecording({
      source: host.source(),
      runtimeId: runtime.id,
      file,
      width: 100,
      height: 30,
      ended: (reason) => ended.push(reason),
    });
    cleanups.push(() => recording.stop());
    expect(existsSync(file)).toBe(true);
    await eventually(
      () => host.outputClients(),
      (n) => n === 1,
      'the recording listening',
    );
    // The screen at the start is read first; output before it is on that screen.
    await eventually(
      () => readCast(file).events.length,
      (n) => n > 0,
      'the screen at the start',
    );
    await host.type(runtime, 'bye');
    await eventually(
      () => readCast(file).output,
      (text) => text.includes('rec-bye'),
      'the line in the file',
    );
    await host.tmux('kill-session', '-t', runtime.name);
    await eventually(
      () => ended,
      (reasons) => reasons.length > 0,
      'the recording ended',
    );
    expect(ended).toEqual(['exited']);
    const cast = readCast(file);
    expect(cast.complete).toBe(true);
    // The pane's real size, not the 100x30 the caller guessed.
    expect(cast.header).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(cast.events.length).toBe(recording.events);
  });
});

/** Clear screen, as the first event of a recording redraws the screen it starts on. */
const CLEAR = '\x1b[2J';
/** Prints a yellow line at once (on screen before any recording starts), then echoes a line. */
const BEFORE = `printf '\\033[33mbefore-%s\\033[0m\\n' $((6*7)); read x; echo "got-$x"; sleep 30`;

describe('a recording starts with the whole screen, at the size of the pane', () => {
  it('local: the screen with its colours and cursor, the pane size, and a resize', async () => {
    await local.tmux(
      'new-session',
      '-d',
      '-s',
      'rec-l',
      '-x',
      '100',
      '-y',
      '30',
      'sh',
      '-c',
      BEFORE,
    );
    const line = await local.tmux(
      'display-message',
      '-p',
      '-t',
      '=rec-l:',
      '#{session_id} #{session_created}',
    );
    const [sessionId = '', created = ''] = line.split(' ');
    const id = runtimeId({ sessionId, sessionCreated: Number(created) });
    const source = new LocalLiveSource(new TmuxClient({ socketName: local.name() }));
    await eventually(
      () => local.tmux('capture-pane', '-p', '-t', '=rec-l:'),
      (screen) => screen.includes('before-42'),
      'the line printed before the recording',
    );
    const file = path.join(dirs.make(), 'rec-l.cast');
    // 120x36: the control room's own terminal, which is not the pane's size.
    const recording = await startRecording({ source, runtimeId: id, file, width: 120, height: 36 });
    cleanups.push(() => recording.stop());
    const first = await eventually(
      () => readCast(file),
      (cast) => cast.events.length > 0,
      'the first event',
    );
    expect(first.header).toMatchObject({ version: 2, width: 100, height: 30 });
    const [at, code, text] = first.events[0] as [number, string, string];
    expect(code).toBe('o');
    expect(at).toBeLessThan(1);
    expect(text.startsWith('\x1b[0m\x1b[H')).toBe(true);
    expect(text).toContain(CLEAR);
    expect(text).toContain('\x1b[33mbefore-42');
    // The cursor placed where the pane's is (1-based), after the text.
    const cursor = await local.tmux(
      'display-message',
      '-p',
      '-t',
      '=rec-l:',
      '#{cursor_y} #{cursor_x}',
    );
    const [y = 0, x = 0] = cursor.split(' ').map(Number);
    expect(text.endsWith(`\x1b[${y + 1};${x + 1}H`)).toBe(true);

    await local.tmux('resize-window', '-t', '=rec-l:', '-x', '90', '-y', '20');
    const resized = await eventually(
      () => readCast(file).events,
      (events) => events.some((e) => e[1] === 'r'),
      'the resize event',
    );
    expect(resized.filter((e) => e[1] === 'r').map((e) => e[2])).toEqual(['90x20']);
    await recording.stop();
    expect(readCast(file).complete).toBe(true);
  });

  it('remote: the host screen, the size the host answers, and a resize', async () => {
    const host = await live.start();
    const runtime = await host.runtime('rec-r', BEFORE);
    await host.tmux('resize-window', '-t', '=rec-r:', '-x', '200', '-y', '50');
    await eventually(
      () => host.tmux('capture-pane', '-p', '-t', '=rec-r:'),
      (screen) => screen.includes('before-42'),
      'the line printed before the recording',
    );
    const file = path.join(dirs.make(), 'rec-r.cast');
    const recording = await startRecording({
      source: host.source(),
      runtimeId: runtime.id,
      file,
      width: 120,
      height: 36,
    });
    cleanups.push(() => recording.stop());
    const first = await eventually(
      () => readCast(file),
      (cast) => cast.events.length > 0,
      'the first event',
    );
    expect(first.header).toMatchObject({ version: 2, width: 200, height: 50 });
    const [, code, text] = first.events[0] as [number, string, string];
    expect(code).toBe('o');
    expect(text).toContain(CLEAR);
    expect(text).toContain('before-42');

    await host.tmux('resize-window', '-t', '=rec-r:', '-x', '150', '-y', '40');
    await host.type(runtime, 'after');
    const cast = await eventually(
      () => readCast(file),
      (c) => c.output.includes('got-after') && c.events.some((e) => e[1] === 'r'),
      'the output and the resize',
    );
    expect(cast.events.filter((e) => e[1] === 'r').map((e) => e[2])).toEqual(['150x40']);
  });
});
