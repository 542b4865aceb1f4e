// The host under bench/host.ts, in its own process so that its RSS is its own: startHostServer on
// 127.0.0.1, port 0, no tokens file (open on loopback), over a LocalTmuxDriver with a started
// TmuxWatcher on the private tmux server named by argv[2]. Prints its URL as one stdout line;
// exits on SIGTERM or when its stdin closes (the bench went away).
// Usage: node --import tsx bench/host-child.ts SOCKET_NAME STATE_DIR
import { join } from 'node:path';
import { TmuxClient } from '../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../src/adapters/tmux/tmux-watcher.js';
import type { Profile } from '../src/domain/index.js';
import { createLocalHostDriver } from '../src/host/live-list-driver.js';
import { startHostServer } from '../src/host/server.js';

const [socketName, stateDir] = process.argv.slice(2);
if (!socketName || !stateDir) {
  process.stderr.write('usage: host-child.ts SOCKET_NAME STATE_DIR\n');
  process.exit(2);
}
const sim = [
  process.execPath,
  '--import',
  'tsx',
  'src/sim-agent/main.ts',
  '--work-ms',
  '50',
  '--state-hook',
];
const profiles: Record<string, Profile> = {
  sim: { name: 'sim', command: sim, env: {}, detector: 'sim' },
};
const tmux = new TmuxClient({ socketName });
const watcher = new TmuxWatcher(tmux);
const up = new Promise((resolve) => watcher.once('up', resolve));
watcher.start();
await Promise.race([up, new Promise((resolve) => setTimeout(resolve, 5000))]);
const driver = createLocalHostDriver({ tmux, watcher, profiles });
await driver.ready();
const server = await startHostServer({
  host: '127.0.0.1',
  port: 0,
  // As `host serve` composes it: lists from the live monitor.
  driver,
  profiles,
  idempotencyFile: join(stateDir, 'host.db'),
  version: 'bench',
  tmuxVersion: async () => (await tmux.version()).text,
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close().catch(() => {});
  watcher.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();
process.stdout.write(`${server.url}\n`);
