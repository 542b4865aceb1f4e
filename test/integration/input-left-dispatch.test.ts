import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { OutboxRepository } from '../../src/adapters/db/outbox-repository.js';
import { ProcessRegistry } from '../../src/adapters/db/process-registry.js';
import { TicketRepository } from '../../src/adapters/db/ticket-repository.js';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import {
  promptForTicket,
  type RuntimeDriver,
  SendFailure,
  type SendOptions,
} from '../../src/domain/index.js';
import { Dispatcher } from '../../src/services/dispatch/dispatcher.js';
import { promptLog, REPO_ROOT, simProfile } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * The whole way, on real parts: a real SQLite file, the dispatcher, a private tmux server and the
 * simulated agent. A pickup's send stops between its paste and its Enter (the driver pastes
 * without submitting, then the "process" dies: the outcome is unknown). The next pickup to that
 * agent types nothing and fails as `input_not_empty`; the operator's word settles the first
 * message: submitted, delivered; cleared, a retry types it again, once.
 */

const T0 = '2026-11-25T06:00:00Z';
const server = privateTmuxPerTest();
const temp = tempDirsPerTest();
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0).reverse()) stop();
});

/** The real driver, but the first send dies after its paste, before its Enter. */
function crashingFirstSend(real: LocalTmuxDriver): RuntimeDriver {
  let crashed = false;
  return {
    host: real.host,
    list: () => real.list(),
    create: (spec) => real.create(spec),
    screen: (id) => real.screen(id),
    close: (id) => real.close(id),
    input: (id, action) => real.input(id, action),
    async send(id: string, text: string, options: SendOptions) {
      if (crashed) return real.send(id, text, options);
      crashed = true;
      await real.send(id, text, { ...options, submit: false });
      throw new SendFailure({
        kind: 'post_send',
        host: 'local',
        status: null,
        message: 'the sending process died after its paste',
      });
    },
  };
}

async function world() {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const dir = temp.make();
  const log = path.join(dir, 'prompts.jsonl');
  const tmux = new TmuxClient({ socketName: server.name() });
  const watcher = new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 });
  watcher.start();
  stops.push(() => watcher.stop());
  const real = new LocalTmuxDriver({ tmux, watcher, profiles: { sim: simProfile(log, 300) } });
  const runtime = await real.create({ profile: 'sim', name: 'sim-crash', cwd: REPO_ROOT });
  await eventually(
    async () => (await real.screen(runtime.id)).lines.join('\n'),
    (s) => s.includes('enter to send'),
    'the agent ready',
    20_000,
  );
  const file = path.join(dir, 'control-room.db');
  const db = temp.closeLater(openDatabase(file));
  const tickets = new TicketRepository(db, file, 'T');
  const outbox = new OutboxRepository(db, file, tickets);
  const driver = crashingFirstSend(real);
  const dispatcher = new Dispatcher({
    outbox,
    processes: new ProcessRegistry(db, file),
    drivers: { driver: async () => driver },
    role: 'test',
    attempts: 1,
    sendTimeoutMs: 10_000,
    readyTimeoutMs: 10_000,
  });
  stops.push(() => dispatcher.stop());
  const first = tickets.add({ title: 'the uploader retries forever', body: 'fix it' }, T0);
  const second = tickets.add({ title: 'the cron job runs twice', body: 'fix it too' }, T0);
  const prompts = () => promptLog(log);
  const target = { kind: 'existing' as const, host: 'local', runtime: runtime.id };
  const ref = { host: 'local', id: runtime.id, name: runtime.name };
  return { real, runtime, tickets, outbox, dispatcher, first, second, prompts, target, ref };
}

describe('a pickup after a send cut off between its paste and its Enter', () => {
  it('fails as input_not_empty, typing nothing; submitted, the first message is delivered alone', async () => {
    const w = await world();
    const crashed = await w.dispatcher.pickup(w.first.key, w.target);
    expect(crashed).toMatchObject({ kind: 'failed', error: { kind: 'post_send' } });
    expect(w.outbox.message(crashed.messageId as string)?.state).toBe('unknown');

    const refused = await w.dispatcher.pickup(w.second.key, w.target);
    expect(refused).toMatchObject({ kind: 'failed', error: { kind: 'input_not_empty' } });
    const second = w.tickets.get(w.second.key);
    expect(second?.state).toBe('todo');
    expect(second?.runtime).toBeNull();
    expect(second?.lastError).toMatchObject({ kind: 'input_not_empty', host: 'local' });
    expect(second?.messages).toEqual([expect.objectContaining({ state: 'failed' })]);
    // The agent got nothing: not the second prompt, and not the two as one.
    expect(w.prompts()).toEqual([]);
    // The runtime says so wherever it is listed.
    expect((await w.real.list()).find((r) => r.id === w.runtime.id)?.input).toBe('text');

    const decided = await w.dispatcher.settleInput(w.ref, 'submit');
    expect(decided.message).toEqual({
      id: crashed.messageId,
      ticketKey: w.first.key,
      state: 'delivered',
    });
    await eventually(w.prompts, (p) => p.length >= 1, 'the first prompt in the log');
    expect(w.prompts()).toEqual([promptForTicket(w.first)]);
    const first = w.tickets.get(w.first.key);
    expect(first?.state).toBe('in_progress');
    expect(first?.runtime).toMatchObject({ host: 'local', id: w.runtime.id });
    expect(first?.messages.at(-1)?.state).toBe('delivered');
  });

  it('cleared, the first message failed as cleared, and a retry with its first key types it once', async () => {
    const w = await world();
    const crashed = await w.dispatcher.pickup(w.first.key, w.target);
    const messageId = crashed.messageId as string;

    const decided = await w.dispatcher.settleInput(w.ref, 'clear');
    expect(decided.message).toEqual({ id: messageId, ticketKey: w.first.key, state: 'failed' });
    expect(w.outbox.message(messageId)).toMatchObject({ state: 'failed', error: 'cleared' });
    expect(w.tickets.get(w.first.key)?.events.map((e) => e.type)).toContain('send_cleared');
    expect(w.prompts()).toEqual([]);

    const again = await w.dispatcher.resend(messageId);
    expect(again.kind).toBe('delivered');
    await eventually(w.prompts, (p) => p.length >= 1, 'the prompt in the log');
    expect(w.prompts()).toEqual([promptForTicket(w.first)]);
  });
});
