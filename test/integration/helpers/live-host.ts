import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  HttpLiveSource,
  type HttpLiveSourceOptions,
  HttpRuntimeDriver,
} from '../../../src/adapters/http/index.js';
import { LocalTmuxDriver } from '../../../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../../src/adapters/tmux/tmux-watcher.js';
import type { Runtime } from '../../../src/domain/index.js';
import { type HostServer, startHostServer } from '../../../src/host/server.js';
import { tempDirsPerTest } from './temp-dir.js';
import { eventually, privateTmuxPerTest } from './tmux-server.js';

/**
 * A real runtime host (`host serve`'s server, in process, on 127.0.0.1) over a private tmux
 * server per test, for the live source and the recorder. Everything is stopped after each test.
 */

export interface LiveHost {
  server: HostServer;
  token: string;
  /** The access log's entries so far: one per finished request (written when it closes). */
  access: { method: string; path: string; status: number }[];
  tmux: (...args: string[]) => Promise<string>;
  /** A live source on this host; `options` may override the token and the timings. */
  source(options?: Partial<HttpLiveSourceOptions>): HttpLiveSource;
  /** Starts a session running `script` in `sh`, 80x24; resolves once the host lists it. */
  runtime(name: string, script: string): Promise<Runtime>;
  /** Control-mode clients with output attached: the host's output streams, one per session. */
  outputClients(): Promise<number>;
  /** Types `text` into the runtime's pane, then Enter. */
  type(runtime: Runtime, text: string): Promise<void>;
}

export function liveHostPerTest(): { start(): Promise<LiveHost> } {
  const tmuxServer = privateTmuxPerTest();
  const dirs = tempDirsPerTest();
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const work of cleanups.splice(0).reverse()) await work();
  });

  async function start(): Promise<LiveHost> {
    const token = `read-${randomBytes(16).toString('hex')}`;
    const tmux = tmuxServer.tmux;
    await tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
    const dir = dirs.make();
    const tokens = join(dir, 'tokens');
    writeFileSync(tokens, `read ${token} viewer\n`, { mode: 0o600 });
    chmodSync(tokens, 0o600);
    const client = new TmuxClient({ socketName: tmuxServer.name() });
    const watcher = new TmuxWatcher(client, { minBackoffMs: 50, maxBackoffMs: 200 });
    watcher.start();
    cleanups.push(() => watcher.stop());
    const access: LiveHost['access'] = [];
    const server = await startHostServer({
      host: '127.0.0.1',
      port: 0,
      tokensFile: tokens,
      driver: new LocalTmuxDriver({ tmux: client, watcher, profiles: {} }),
      profiles: {},
      idempotencyFile: join(dir, 'state', 'host.db'),
      version: '9.9.9-test',
      tmuxVersion: async () => (await client.version()).text,
      tmux: client,
      log: (line) => access.push(JSON.parse(line)),
    });
    cleanups.push(() => server.close());

    const source = (options: Partial<HttpLiveSourceOptions> = {}) =>
      new HttpLiveSource({ host: 'test-host', baseUrl: server.url, token, ...options });
    return {
      server,
      token,
      access,
      tmux,
      source,
      async runtime(name, script) {
        await tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', 'sh', '-c', script);
        const driver = new HttpRuntimeDriver({ host: 'test-host', baseUrl: server.url, token });
        const list = await eventually(
          () => driver.list(),
          (runtimes) => runtimes.some((r) => r.name === name),
          `the runtime ${name} listed`,
        );
        return list.find((r) => r.name === name) as Runtime;
      },
      async outputClients() {
        const flags = await tmux('list-clients', '-F', '#{client_flags}');
        return flags
          .split('\n')
          .filter(
            (f) => f.includes('read-only') && !f.includes('no-output') && f.includes('control'),
          ).length;
      },
      async type(runtime, text) {
        await tmux('send-keys', '-t', runtime.name, '-l', text);
        await tmux('send-keys', '-t', runtime.name, 'Enter');
      },
    };
  }
  return { start };
}
