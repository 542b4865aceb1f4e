import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import { type HostServer, startHostServer } from '../../src/host/server.js';
import { REPO_ROOT, simProfile } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * One prompt per send through a host (issue 14, item 1): ten `POST /send` with distinct
 * idempotency keys to one runtime at once. `host serve` in process on 127.0.0.1 over a
 * LocalTmuxDriver on a private tmux server, the simulated agent as the runtime; what the agent
 * received is read from its prompt log.
 */

const TRIALS = 3;
const SENDERS = 10;
const TOKEN = `send-${randomBytes(16).toString('hex')}`;

const tmuxServer = privateTmuxPerTest();
const dirs = tempDirsPerTest();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const work of cleanups.splice(0).reverse()) await work();
});

async function startHost(): Promise<{ server: HostServer; prompts: () => string[] }> {
  await tmuxServer.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const dir = dirs.make();
  const log = join(dir, 'prompts.jsonl');
  // Long jobs: after one prompt the agent works through every other sender's turn.
  const profiles = { sim: simProfile(log, 5000) };
  const tmux = new TmuxClient({ socketName: tmuxServer.name() });
  const watcher = new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 });
  watcher.start();
  cleanups.push(() => watcher.stop());
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, `read,send ${TOKEN} racer\n`, { mode: 0o600 });
  chmodSync(tokens, 0o600);
  const server = await startHostServer({
    host: '127.0.0.1',
    port: 0,
    tokensFile: tokens,
    driver: new LocalTmuxDriver({ tmux, watcher, profiles }),
    profiles,
    idempotencyFile: join(dir, 'state', 'host.db'),
    version: '9.9.9-test',
    tmuxVersion: async () => (await tmux.version()).text,
    log: () => {},
  });
  cleanups.push(() => server.close());
  const prompts = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => (JSON.parse(line) as { prompt: string }).prompt)
      : [];
  return { server, prompts };
}

async function call(server: HostServer, method: string, path: string, json?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: the answers are checked field by field
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as any };
}

async function idleScreen(server: HostServer, id: string): Promise<void> {
  await eventually(
    async () => {
      const reply = await call(server, 'GET', `/v1/runtimes/${id}/screen`);
      return ((reply.body?.lines ?? []) as string[]).join('\n');
    },
    (s) => s.includes('enter to send') && !s.includes('esc to interrupt'),
    'the agent idle',
    30_000,
  );
}

describe('host serve: concurrent sends to one runtime', () => {
  it('types one prompt per send; the others answer 409 busy and type nothing', async () => {
    const { server, prompts } = await startHost();
    const created = await call(server, 'POST', '/v1/runtimes', {
      profile: 'sim',
      name: 'agent',
      cwd: REPO_ROOT,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const statuses: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      await idleScreen(server, id);
      const texts = Array.from({ length: SENDERS }, (_, i) => `trial ${trial} sender ${i}.`);
      const replies = await Promise.all(
        texts.map((text) =>
          call(server, 'POST', `/v1/runtimes/${id}/send`, {
            text,
            idempotencyKey: `k-${randomBytes(8).toString('hex')}`,
          }),
        ),
      );
      const delivered = texts.filter((_, i) => replies[i]?.status === 200);
      for (const reply of replies) {
        expect([200, 409], JSON.stringify(reply.body)).toContain(reply.status);
        if (reply.status === 409) expect(reply.body.error.code).toBe('runtime_busy');
        statuses.push(reply.status);
      }
      expect(delivered.length).toBeGreaterThanOrEqual(1);
      // Each delivered text arrived as a prompt of its own, once; a refused one never did.
      const received = await eventually(
        prompts,
        (all) => delivered.every((t) => all.includes(t)),
        'the delivered prompts logged',
        20_000,
      );
      const ours = received.filter((p) => p.includes(`trial ${trial} `));
      expect(ours, `received: ${JSON.stringify(ours)}`).toEqual(delivered);
    }
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0);
  }, 180_000);
});
