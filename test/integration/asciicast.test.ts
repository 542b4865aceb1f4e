import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRecording } from '../../src/services/recording/index.js';
import { readCast } from './helpers/live-cast.js';
import { liveHostPerTest } from './helpers/live-host.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually } from './helpers/tmux-server.js';

/**
 * Recording a real tmux runtime through a real runtime host: the output stream of `host serve`'s
 * server, read by HttpLiveSource, written as an asciicast v2 file.
 */

const live = liveHostPerTest();
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
    expect(cast.header).toMatchObject({ version: 2, width: 100, height: 30 });
    expect(cast.events.length).toBe(recording.events);
  });
});
