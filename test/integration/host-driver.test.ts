import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpRuntimeDriver } from '../../src/adapters/http/index.js';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import { type Profile, SendFailure } from '../../src/domain/index.js';
import { startHostServer } from '../../src/host/server.js';
import { REPO_ROOT } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * Our client against our server: the HTTP driver over a real `host serve` over real tmux with
 * the simulated agent. (The driver's every failure row is tested against a fault server, and
 * the server's every refusal against raw requests; this is the two together.)
 */
const SEND = `send-${randomBytes(12).toString('hex')}`;
const READ = `read-${randomBytes(12).toString('hex')}`;
const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const work of cleanups.splice(0).reverse()) await work();
});

async function startHost(workMs: number, dir = dirs.make()) {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const log = join(dir, 'prompts.jsonl');
  const sim = [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'src/sim-agent/main.ts')];
  const profiles: Record<string, Profile> = {
    sim: {
      name: 'sim',
      command: [...sim, '--log', log, '--work-ms', String(workMs)],
      env: {},
      detector: 'sim',
    },
  };
  const tmux = new TmuxClient({ socketName: server.name() });
  const watcher = new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 });
  watcher.start();
  cleanups.push(() => watcher.stop());
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, `read,send ${SEND} ops\nread ${READ} viewer\n`, { mode: 0o600 });
  chmodSync(tokens, 0o600);
  const host = await startHostServer({
    host: '127.0.0.1',
    port: 0,
    tokensFile: tokens,
    driver: new LocalTmuxDriver({ tmux, watcher, profiles }),
    profiles,
    idempotencyFile: join(dir, 'host.db'),
    version: 'test',
    tmuxVersion: async () => (await tmux.version()).text,
    log: () => {},
  });
  cleanups.push(() => host.close());
  const stop = () => host.close();
  const prompts = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { prompt: string }).prompt)
      : [];
  const client = (token: string) =>
    new HttpRuntimeDriver({ host: 'buildbox', baseUrl: host.url, token, sendTimeoutMs: 15_000 });
  return { client, prompts, stop, dir };
}

async function failureOf(work: Promise<unknown>): Promise<SendFailure> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SendFailure);
  return error as SendFailure;
}

describe('the HTTP driver against host serve', () => {
  it('lists, creates, sends once per key, reads the screen, and closes', async () => {
    const host = await startHost(200);
    const driver = host.client(SEND);
    expect((await driver.health()).tmux).toMatch(/tmux/);
    expect(await driver.canSend()).toBe(true);
    expect(await host.client(READ).canSend()).toBe(false);

    const runtime = await driver.create({ profile: 'sim', cwd: REPO_ROOT, name: 'remote-sim' });
    expect((await driver.list()).map((r) => r.id)).toContain(runtime.id);
    await eventually(
      async () => (await driver.screen(runtime.id)).lines.join('\n'),
      (screen) => screen.includes('enter to send'),
      'the agent to be ready',
    );

    const first = await driver.send(runtime.id, 'fix the flaky test', { idempotencyKey: 'key-1' });
    const again = await driver.send(runtime.id, 'fix the flaky test', { idempotencyKey: 'key-1' });
    expect(again.messageId).toBe(first.messageId);
    await eventually(host.prompts, (p) => p.length >= 1, 'the prompt in the log');
    expect(host.prompts()).toEqual(['fix the flaky test']);

    await driver.close(runtime.id);
    expect((await failureOf(driver.screen(runtime.id))).error.kind).toBe('not_found');
  });

  it('remembers an idempotency key across a restart of the host: nothing typed twice', async () => {
    const first = await startHost(200);
    const driver = first.client(SEND);
    const runtime = await driver.create({ profile: 'sim', cwd: REPO_ROOT, name: 'restart-sim' });
    await eventually(
      async () => (await driver.screen(runtime.id)).lines.join('\n'),
      (screen) => screen.includes('enter to send'),
      'the agent to be ready',
    );
    const sent = await driver.send(runtime.id, 'only once', { idempotencyKey: 'across-restart' });
    await first.stop();

    const second = await startHost(200, first.dir);
    const again = await second.client(SEND).send(runtime.id, 'only once', {
      idempotencyKey: 'across-restart',
    });
    expect(again.messageId).toBe(sent.messageId);
    await eventually(first.prompts, (p) => p.length >= 1, 'the prompt in the log');
    expect(first.prompts()).toEqual(['only once']);
  });

  it('gets busy (with the runtime) while the agent works, and nothing is typed', async () => {
    const host = await startHost(4000);
    const driver = host.client(SEND);
    const runtime = await driver.create({ profile: 'sim', cwd: REPO_ROOT, name: 'busy-sim' });
    await eventually(
      async () => (await driver.screen(runtime.id)).lines.join('\n'),
      (screen) => screen.includes('enter to send'),
      'the agent to be ready',
    );
    await driver.send(runtime.id, 'first', { idempotencyKey: 'a' });
    await eventually(
      async () => (await driver.screen(runtime.id)).lines.join('\n'),
      (screen) => screen.includes('esc to interrupt'),
      'the agent to work',
    );
    const busy = await failureOf(driver.send(runtime.id, 'second', { idempotencyKey: 'b' }));
    expect(busy.error).toMatchObject({ kind: 'busy', status: 409, host: 'buildbox' });
    expect((busy as SendFailure & { runtime?: { id: string } }).runtime?.id).toBe(runtime.id);
    expect(host.prompts()).toEqual(['first']);
  });

  it('says auth 403 for a read-only token and auth 401 for a wrong one', async () => {
    const host = await startHost(200);
    const runtime = await host
      .client(SEND)
      .create({ profile: 'sim', cwd: REPO_ROOT, name: 'auth-sim' });
    const readOnly = await failureOf(
      host.client(READ).send(runtime.id, 'x', { idempotencyKey: 'k' }),
    );
    expect(readOnly.error).toMatchObject({ kind: 'auth', status: 403 });
    const wrong = await failureOf(host.client('not-a-token-at-all').list());
    expect(wrong.error).toMatchObject({ kind: 'auth', status: 401 });
    expect(wrong.error.message).not.toContain('not-a-token-at-all');
    expect(host.prompts()).toEqual([]);
  });
});
