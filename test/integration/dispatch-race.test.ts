import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { watchDatabaseChanges } from '../../src/adapters/db/change-watcher.js';
import { type Db, openDatabase } from '../../src/adapters/db/database.js';
import { HostRepository } from '../../src/adapters/db/host-repository.js';
import { OutboxRepository } from '../../src/adapters/db/outbox-repository.js';
import { ProcessRegistry } from '../../src/adapters/db/process-registry.js';
import { TicketRepository } from '../../src/adapters/db/ticket-repository.js';
import { Dispatcher } from '../../src/services/dispatch/dispatcher.js';
import { driversOf, FakeDriver, until } from './helpers/fake-driver.js';
import { type FaultServer, startFaultServer } from './helpers/fault-server.js';
import type { RacerResult } from './helpers/pickup-racer.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RACER = path.join(REPO_ROOT, 'test/integration/helpers/pickup-racer.ts');
const T0 = '2026-11-25T06:00:00Z';
const TOKEN = 'race-token-0123456789';
const TICKETS = 200;

const temp = tempDirsPerTest();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Racer {
  child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function startRacer(args: string[]): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', RACER, ...args], { cwd: REPO_ROOT });
  const racer: Racer = { child, stdout: '', stderr: '', exited: Promise.resolve(null) };
  child.stdout.on('data', (chunk: Buffer) => {
    racer.stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    racer.stderr += chunk.toString('utf8');
  });
  racer.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(
    () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'),
  );
  return racer;
}

async function resultOf(racer: Racer): Promise<RacerResult> {
  const code = await racer.exited;
  expect(code, racer.stderr).toBe(0);
  const last = racer.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as RacerResult;
}

/** A database with `n` todo tickets and a host `loop` on a loopback runtime host. */
async function world(n: number) {
  const dir = temp.make();
  const file = path.join(dir, 'control-room.db');
  const tokens = path.join(dir, 'tokens');
  const db = temp.closeLater(openDatabase(file));
  const tickets = new TicketRepository(db, file, 'RACE');
  const keys = Array.from({ length: n }, (_, i) => tickets.add({ title: `t${i}` }, T0).key);
  const server = await startFaultServer();
  cleanups.push(() => server.close());
  await new HostRepository(db, file, tokens).save(
    { name: 'loop', url: server.url, createdAt: T0 },
    TOKEN,
  );
  const outbox = new OutboxRepository(db, file, tickets);
  return { file, tokens, db, tickets, outbox, keys, server };
}

/** The send route of runtime-api.md: 200 with a receipt, counting sends per ticket. */
function answerSends(server: FaultServer, hang: (ticket: string) => boolean = () => false) {
  const sends = new Map<string, number>();
  server.fault = (req, res, seen) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end('{"error":{"code":"unauthenticated","message":"no"}}');
      return;
    }
    if (seen.method !== 'POST' || seen.url !== '/v1/runtimes/rt_1/send') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"error":{"code":"runtime_not_found","message":"no"}}');
      return;
    }
    const ticket = String((JSON.parse(seen.body) as { ticket?: unknown }).ticket);
    sends.set(ticket, (sends.get(ticket) ?? 0) + 1);
    if (hang(ticket)) return; // never answers: the sender is killed mid-send
    const runtime = {
      ...{ id: 'rt_1', name: 'mc-1', profile: 'codex', cwd: '/srv/mc-1', state: 'busy' },
      ...{ ticket, createdAt: T0, lastActivityAt: T0, command: 'codex' },
    };
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({ messageId: `hm_${server.requests.length}`, deliveredAt: T0, runtime }),
    );
  };
  return sends;
}

describe('two processes picking up the same tickets', () => {
  it(`sends, claims and delivers each of ${TICKETS} tickets exactly once`, async () => {
    const w = await world(TICKETS);
    const sends = answerSends(w.server);
    const racers = ['forward', 'shuffle'].map((order) =>
      startRacer([w.file, w.tokens, 'loop', order]),
    );
    for (const r of racers) await until(() => r.stdout.includes('ready\n'), 'a racer', 30_000);
    for (const r of racers) r.child.stdin.end();
    const results = await Promise.all(racers.map(resultOf));

    for (const result of results) {
      expect(result.other).toEqual([]);
      // Each racer tried every ticket: what it did not deliver it was refused.
      expect(result.delivered.length + result.conflicts).toBe(TICKETS);
    }
    const delivered = results.flatMap((r) => r.delivered);
    expect(delivered.sort()).toEqual([...w.keys].sort());
    expect([...sends.keys()].sort()).toEqual([...w.keys].sort());
    expect([...sends.values()].every((n) => n === 1)).toBe(true);
    expect(w.server.requests).toHaveLength(TICKETS);

    // One runtime works on one ticket: each delivery moved it on from the one before, in the
    // same transaction, so exactly one ticket is bound to it at the end.
    const bound: string[] = [];
    for (const ticket of w.tickets.list()) {
      expect(ticket.events.filter((e) => e.type === 'claimed')).toHaveLength(1);
      expect(ticket.state).toBe('in_progress');
      expect(ticket.messages.map((m) => m.state)).toEqual(['delivered']);
      if (ticket.runtime) {
        expect(ticket.runtime).toEqual({ host: 'loop', id: 'rt_1', name: 'mc-1', adopted: false });
        bound.push(ticket.key);
      } else {
        expect(ticket.events.at(-1)?.type).toBe('runtime_moved_on');
      }
    }
    expect(bound).toHaveLength(1);
    expect(w.outbox.claims()).toEqual([]);
    expect(w.outbox.list('delivered')).toHaveLength(TICKETS);
    expect(new ProcessRegistry(w.db, w.file).all()).toEqual([]);
  });

  it('a process killed mid-send leaves work that the next start resolves', async () => {
    const w = await world(1);
    const [key] = w.keys as [string];
    const sends = answerSends(w.server, () => true);
    const racer = startRacer([w.file, w.tokens, 'loop', 'forward', key]);
    await until(() => racer.stdout.includes('ready\n'), 'the racer', 30_000);
    racer.child.stdin.end();
    await until(() => sends.get(key) === 1, 'the send on the wire');
    expect(w.outbox.inFlight()).toHaveLength(1);
    racer.child.kill('SIGKILL');
    await racer.exited;

    const next = new Dispatcher({
      outbox: w.outbox,
      processes: new ProcessRegistry(w.db, w.file),
      drivers: driversOf(new FakeDriver('loop')),
      role: 'tui',
      attempts: 1,
      sendTimeoutMs: 1_000,
      readyTimeoutMs: 1_000,
    });
    next.start();
    cleanups.push(() => next.stop());
    expect(w.outbox.list()[0]).toMatchObject({ state: 'unknown', error: 'interrupted' });
    const ticket = w.tickets.get(key);
    expect(ticket).toMatchObject({
      state: 'todo',
      runtime: null,
      lastError: { kind: 'interrupted' },
    });
    expect(ticket?.events.map((e) => e.type)).toEqual([
      ...['created', 'claimed', 'send_queued', 'send_interrupted', 'claim_released'],
    ]);
    expect(w.outbox.claims()).toEqual([]);
    expect(new ProcessRegistry(w.db, w.file).all().map((p) => p.id)).toEqual([next.processId]);
  });
});

/** `db` with its `PRAGMA data_version` reads counted: each is one check of the watcher. */
function counted(db: Db): { db: Db; checks: () => number } {
  let checks = 0;
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'pragma') {
        return (source: string, options?: { simple?: boolean }) => {
          if (source === 'data_version') checks += 1;
          return target.pragma(source, options);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, checks: () => checks };
}

describe('watchDatabaseChanges', () => {
  async function watched(options = {}) {
    const w = await world(1);
    const watcher = counted(w.db);
    let changes = 0;
    const stop = watchDatabaseChanges(watcher.db, w.file, () => (changes += 1), options);
    cleanups.push(stop);
    return { ...w, checks: watcher.checks, changes: () => changes };
  }

  it("calls onChange for another connection's commit", async () => {
    const w = await watched();
    const other = temp.closeLater(openDatabase(w.file));
    new TicketRepository(other, w.file, 'RACE').add({ title: 'from elsewhere' }, T0);
    await until(() => w.changes() > 0, 'onChange');
    expect(w.changes()).toBe(1);
  });

  it("calls onChange for a child process's commit", async () => {
    const w = await watched();
    const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
      db.prepare("UPDATE tickets SET title = 'changed' WHERE key = ?").run(process.argv[2]);
      db.close();`;
    const child = spawn(process.execPath, ['-e', script, w.file, w.keys[0] as string], {
      cwd: REPO_ROOT,
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    await until(() => w.changes() > 0, 'onChange');
    expect(w.tickets.get(w.keys[0] as string)?.title).toBe('changed');
  });

  it("does not echo its own connection's writes, and still sees another's", async () => {
    const w = await watched({ pollMs: 10, settleMs: 5 });
    w.tickets.add({ title: 'mine' }, T0);
    // Several checks after the write (the file event's and the poll's) found nothing new.
    const after = w.checks();
    await until(() => w.checks() >= after + 5, 'five checks');
    expect(w.changes()).toBe(0);
    const other = temp.closeLater(openDatabase(w.file));
    new TicketRepository(other, w.file, 'RACE').add({ title: 'theirs' }, T0);
    await until(() => w.changes() === 1, 'onChange for the other connection');
  });
});
