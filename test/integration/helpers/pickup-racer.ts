/**
 * A control room process for the dispatch race tests: the real repositories, registry and HTTP
 * driver on one database, picking tickets up on HOST's runtime rt_1.
 *
 *   node --import tsx pickup-racer.ts DBFILE TOKENS_DIR HOST ORDER [KEY...]
 *
 * ORDER is forward, reverse or shuffle (over KEYs, or every ticket oldest first). It registers,
 * prints `ready`, waits for its stdin to end (the start signal, so that racers start together),
 * then prints one JSON line: what it delivered, how many pickups were refused, anything else.
 */
import { openDatabase } from '../../../src/adapters/db/database.js';
import { HostRepository } from '../../../src/adapters/db/host-repository.js';
import { OutboxRepository } from '../../../src/adapters/db/outbox-repository.js';
import { ProcessRegistry } from '../../../src/adapters/db/process-registry.js';
import { TicketRepository } from '../../../src/adapters/db/ticket-repository.js';
import { HttpRuntimeDriver } from '../../../src/adapters/http/http-driver.js';
import { AppFailure } from '../../../src/domain/index.js';
import { Dispatcher } from '../../../src/services/dispatch/dispatcher.js';

export interface RacerResult {
  delivered: string[];
  conflicts: number;
  /** Pickups that ended in anything but delivered or a conflict: `KEY: what`. */
  other: string[];
}

const [file, tokensDir, host, order = 'forward', ...only] = process.argv.slice(2);
if (!file || !tokensDir || !host) {
  process.stderr.write('usage: pickup-racer.ts DBFILE TOKENS_DIR HOST ORDER [KEY...]\n');
  process.exit(2);
}

const db = openDatabase(file);
const tickets = new TicketRepository(db, file, 'R');
const hosts = new HostRepository(db, file, tokensDir);
const record = hosts.get(host);
if (!record) throw new Error(`no host ${host}`);
const driver = new HttpRuntimeDriver({
  host,
  baseUrl: record.url,
  token: await hosts.token(host),
  sendTimeoutMs: 20_000,
});
const dispatcher = new Dispatcher({
  outbox: new OutboxRepository(db, file, tickets),
  processes: new ProcessRegistry(db, file),
  drivers: {
    driver: async (name) => {
      if (name !== host) throw new Error(`no host ${name}`);
      return driver;
    },
  },
  role: `racer ${order}`,
  attempts: 3,
  baseDelayMs: 10,
  sendTimeoutMs: 20_000,
  readyTimeoutMs: 1_000,
});

const keys =
  only.length > 0
    ? only
    : tickets
        .list()
        .map((t) => t.key)
        .reverse();
if (order === 'reverse') keys.reverse();
if (order === 'shuffle') {
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
  }
}

dispatcher.start();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  process.stdin.on('data', () => {});
  process.stdin.once('end', resolve);
  process.stdin.resume();
});

const result: RacerResult = { delivered: [], conflicts: 0, other: [] };
for (const key of keys) {
  try {
    const outcome = await dispatcher.pickup(key, { kind: 'existing', host, runtime: 'rt_1' });
    if (outcome.kind === 'delivered') result.delivered.push(key);
    else result.other.push(`${key}: ${outcome.kind}`);
  } catch (error) {
    if (error instanceof AppFailure && error.error.kind === 'conflict') result.conflicts += 1;
    else result.other.push(`${key}: ${String(error)}`);
  }
}
dispatcher.stop();
db.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
