import type { LiveSource } from '../../domain/live.js';
import { type Recording, recordingFileName, startRecording } from './asciicast.js';

/**
 * The recordings running in this control room, one per runtime at most, keyed by `host:id`. The
 * TUI asks `isRecording` to mark a runtime, toggles it with a key, and stops all of them on quit.
 */

export interface RecordingStart {
  source: LiveSource;
  runtimeId: string;
  /** The runtime's name, for the file name and the title; untrusted, made safe there. */
  runtimeName: string;
  width: number;
  height: number;
  title?: string;
}

export interface RecordingEntry {
  host: string;
  id: string;
  file: string;
  /** When it started (ms since the epoch). */
  startedAt: number;
  bytes: number;
  events: number;
}

export interface RecordingsOptions {
  /** Recordings go to `<stateDir>/recordings/`. */
  stateDir: string;
  /** The wall clock, for file names and headers (ms since the epoch). */
  now?: () => number;
  /** A recording started, stopped or ended: the marks may have changed. */
  changed?: () => void;
  /** A recording closed itself (its runtime ended, or its file failed). */
  ended?: (host: string, id: string, reason: string) => void;
}

interface Slot {
  host: string;
  id: string;
  /** The file being opened, then the one recorded to. */
  file: string;
  startedAt: number;
  recording: Recording | null;
}

interface Entry extends Slot {
  started: Promise<Recording>;
}

/** Two recordings of one runtime within a second would share a name: the later gets a suffix. */
const MAX_NAME_TRIES = 20;

export class Recordings {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: RecordingsOptions) {}

  /** Starts recording the runtime; the recording already running when there is one. */
  start(args: RecordingStart): Promise<Recording> {
    const key = keyOf(args.source.host, args.runtimeId);
    const existing = this.entries.get(key);
    if (existing) return existing.started;
    const startedAt = (this.options.now ?? Date.now)();
    const base = recordingFileName(this.options.stateDir, args.runtimeName, new Date(startedAt));
    const slot: Slot = {
      host: args.source.host,
      id: args.runtimeId,
      file: base,
      startedAt,
      recording: null,
    };
    const entry: Entry = Object.assign(slot, {
      started: this.open(slot, args, base).then(
        (recording) => {
          slot.recording = recording;
          return recording;
        },
        (error: unknown) => {
          if (this.entries.get(key) === slot) this.entries.delete(key);
          this.options.changed?.();
          throw error;
        },
      ),
    });
    this.entries.set(key, entry);
    this.options.changed?.();
    return entry.started;
  }

  /** Stops the runtime's recording, if one runs; resolves once its file is closed. */
  async stop(host: string, id: string): Promise<void> {
    const key = keyOf(host, id);
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.options.changed?.();
    const recording = await entry.started.catch(() => null);
    await recording?.stop();
  }

  /** Starts a recording, or stops the one running; resolves with the new one, or null. */
  async toggle(args: RecordingStart): Promise<Recording | null> {
    if (this.isRecording(args.source.host, args.runtimeId)) {
      await this.stop(args.source.host, args.runtimeId);
      return null;
    }
    return this.start(args);
  }

  isRecording(host: string, id: string): boolean {
    return this.entries.has(keyOf(host, id));
  }

  list(): RecordingEntry[] {
    return [...this.entries.values()].map((entry) => ({
      host: entry.host,
      id: entry.id,
      file: entry.recording?.file ?? entry.file,
      startedAt: entry.startedAt,
      bytes: entry.recording?.bytes ?? 0,
      events: entry.recording?.events ?? 0,
    }));
  }

  async stopAll(): Promise<void> {
    const entries = [...this.entries.values()];
    await Promise.all(entries.map((entry) => this.stop(entry.host, entry.id)));
  }

  private async open(entry: Slot, args: RecordingStart, base: string): Promise<Recording> {
    const key = keyOf(entry.host, entry.id);
    for (let n = 1; ; n += 1) {
      const file = n === 1 ? base : base.replace(/\.cast$/, `-${n}.cast`);
      entry.file = file;
      try {
        return await startRecording({
          source: args.source,
          runtimeId: args.runtimeId,
          file,
          width: args.width,
          height: args.height,
          title: args.title ?? args.runtimeName,
          ended: (reason) => {
            if (this.entries.get(key) !== entry) return;
            this.entries.delete(key);
            this.options.ended?.(entry.host, entry.id, reason);
            this.options.changed?.();
          },
        });
      } catch (error) {
        const exists = (error as NodeJS.ErrnoException | null)?.code === 'EEXIST';
        if (!exists || n >= MAX_NAME_TRIES) throw error;
      }
    }
  }
}

function keyOf(host: string, id: string): string {
  return `${host}:${id}`;
}
