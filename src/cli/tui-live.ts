import { randomUUID } from 'node:crypto';
import { HttpLiveSource } from '../adapters/http/live-source.js';
import { LocalTmuxDriver } from '../adapters/tmux/local-driver.js';
import { LocalLiveSource } from '../adapters/tmux/pane-watcher.js';
import type { LiveSource } from '../domain/index.js';
import { sanitizeLine } from '../domain/index.js';
import { Recordings } from '../services/recording/index.js';
import type { RecordingControl, TuiServices } from '../ui/services-context.js';
import type { CliContext } from './context.js';
import { type CliDrivers, tmuxOf } from './drivers.js';

/** How long a line typed into a runtime may take, confirmation included. */
const LINE_TIMEOUT_MS = 10_000;

/**
 * The live side of the control room's services: each host's consoles (local tmux through a
 * control-mode watcher, a runtime host through its output stream), a line typed into a runtime,
 * and recordings to asciicast files in the state folder.
 */
export async function liveServices(
  ctx: CliContext,
  drivers: CliDrivers,
): Promise<{
  services: Pick<TuiServices, 'live' | 'sendLine' | 'recordings'>;
  stop(): Promise<void>;
  /** The hosts configured now (`names`): a new one gets its output stream, a removed one none. */
  syncHosts(names: readonly string[]): Promise<void>;
}> {
  const sources = new Map<string, LiveSource>([['local', new LocalLiveSource(tmuxOf(ctx))]]);
  const syncHosts = async (names: readonly string[]) => {
    for (const host of [...sources.keys()])
      if (host !== 'local' && !names.includes(host)) sources.delete(host);
    for (const name of names) {
      const record = sources.has(name) ? undefined : ctx.hosts().get(name);
      if (!record) continue;
      const token = await ctx.hosts().token(record.name);
      sources.set(
        record.name,
        new HttpLiveSource({ host: record.name, baseUrl: record.url, token }),
      );
    }
  };
  await syncHosts(
    ctx
      .hosts()
      .list()
      .map((record) => record.name),
  );
  const listeners = new Set<(ended?: string) => void>();
  const tell = (ended?: string) => {
    for (const listener of listeners) listener(ended);
  };
  const recordings = new Recordings({
    stateDir: ctx.paths.stateDir,
    changed: () => tell(),
    ended: (host, id, reason) => tell(`the recording of ${host}:${id} stopped: ${reason}`),
  });
  const control: RecordingControl = {
    async toggle(runtime, size) {
      const source = sources.get(runtime.host);
      if (!source) throw new Error(`host ${runtime.host} offers no output stream`);
      const recording = await recordings.toggle({
        source,
        runtimeId: runtime.id,
        runtimeName: runtime.name,
        width: size.columns,
        height: size.rows,
        title: `${runtime.name} on ${runtime.host}`,
      });
      return recording
        ? `recording ${sanitizeLine(runtime.name)} to ${recording.file}`
        : `stopped recording ${sanitizeLine(runtime.name)}`;
    },
    recorded: () => new Set(recordings.list().map((r) => `${r.host}:${r.id}`)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    services: {
      live: (host) => sources.get(host) ?? null,
      // The literal path (paste, then Enter), never send-keys with key names. Locally the line
      // is typed whatever the agent is doing (it may be asking); a runtime host's contract has
      // only `send`, which a working or asking runtime answers busy.
      sendLine: async (runtime, text) => {
        const driver = await drivers.driver(runtime.host);
        if (driver instanceof LocalTmuxDriver) {
          await driver.typeLine(runtime.id, text);
          return;
        }
        await driver.send(runtime.id, text, {
          submit: true,
          idempotencyKey: `line-${randomUUID()}`,
          timeoutMs: LINE_TIMEOUT_MS,
        });
      },
      recordings: control,
    },
    stop: () => recordings.stopAll(),
    syncHosts: (names) => syncHosts(names).catch(() => {}),
  };
}
