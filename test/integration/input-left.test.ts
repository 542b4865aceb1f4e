import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpRuntimeDriver } from '../../src/adapters/http/index.js';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { LocalMonitor } from '../../src/adapters/tmux/local-monitor.js';
import { appendSent, SENT_OPTION, textDigest } from '../../src/adapters/tmux/pane-sent.js';
import { keyDigest } from '../../src/adapters/tmux/paste.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import type { Profile, Runtime, RuntimeDriver } from '../../src/domain/index.js';
import { startHostServer } from '../../src/host/server.js';
import { sendError } from './helpers/send-error.js';
import { promptLog, REPO_ROOT, simProfile } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * A send that stopped between its paste and its Enter (a crash, a kill -9) leaves its text in
 * the agent's input line. Simulated here as such a send leaves it, on a private tmux server
 * with the simulated agent: the text pasted (`paste-buffer -p`, as the driver pastes) and the
 * pane marked with its key, no Enter. The next send must type nothing and say why, locally and
 * through a real `host serve`; the agent's prompt log (what it was submitted) is the proof.
 */

const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const work of cleanups.splice(0).reverse()) await work();
});

const LEFT = 'LEFTOVER fix the uploader that retries forever';
const SEND = `send-${randomBytes(12).toString('hex')}`;

interface World {
  local: LocalTmuxDriver;
  watcher: TmuxWatcher;
  profiles: Record<string, Profile>;
  prompts(): string[];
  /** What the sim agent's input line shows (its last row, without the `› ` prompt). */
  inputLine(): Promise<string>;
  /** Leaves `text` in the input line as a send cut off before its Enter does. */
  leave(text: string, key: string): Promise<void>;
  runtime: Runtime;
}

async function world(): Promise<World> {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const dir = dirs.make();
  const log = join(dir, 'prompts.jsonl');
  const tmux = new TmuxClient({ socketName: server.name() });
  const watcher = new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 });
  watcher.start();
  cleanups.push(() => watcher.stop());
  const profiles = { sim: simProfile(log, 300) };
  const local = new LocalTmuxDriver({ tmux, watcher, profiles, env: {} });
  const runtime = await local.create({ profile: 'sim', name: 'sim-left', cwd: REPO_ROOT });
  const pane = (await server.tmux('list-panes', '-t', 'sim-left', '-F', '#{pane_id}')).trim();
  const screen = async () => server.tmux('capture-pane', '-p', '-t', pane);
  await eventually(screen, (s) => s.includes('enter to send'), 'the agent ready', 20_000);
  const inputLine = async () => {
    const lines = (await screen()).split('\n').filter((l) => l.trim() !== '');
    return (lines.at(-1) ?? '').replace(/^›\s?/, '').trimEnd();
  };
  return {
    local,
    watcher,
    profiles,
    runtime,
    inputLine,
    prompts: () => promptLog(log),
    async leave(text, key) {
      const file = join(dir, `left-${randomBytes(4).toString('hex')}`);
      writeFileSync(file, text);
      await server.tmux('load-buffer', '-b', 'crashed', file);
      await server.tmux('paste-buffer', '-p', '-d', '-b', 'crashed', '-t', pane);
      await server.tmux(
        'set-option',
        '-p',
        '-t',
        pane,
        SENT_OPTION,
        appendSent('', { key: keyDigest(key), text: textDigest(text) }),
      );
      await eventually(inputLine, (line) => line === text, 'the text in the input line');
    },
  };
}

async function startHost(local: LocalTmuxDriver, dir: string) {
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, `read,send ${SEND} ops\n`, { mode: 0o600 });
  chmodSync(tokens, 0o600);
  const host = await startHostServer({
    host: '127.0.0.1',
    port: 0,
    tokensFile: tokens,
    driver: local,
    profiles: {},
    idempotencyFile: join(dir, 'host.db'),
    version: 'test',
    tmuxVersion: async () => 'tmux',
    log: () => {},
  });
  cleanups.push(() => host.close());
  return new HttpRuntimeDriver({
    host: 'buildbox',
    baseUrl: host.url,
    token: SEND,
    sendTimeoutMs: 15_000,
  });
}

const key = () => `k-${randomBytes(6).toString('hex')}`;

async function inputOf(driver: RuntimeDriver, id: string) {
  return (await driver.list()).find((r) => r.id === id)?.input;
}

describe('text left in the input line by a send cut off before its Enter', () => {
  it('refuses the next local send, typing nothing; cleared, the next send arrives alone', async () => {
    const w = await world();
    const crashed = key();
    await w.leave(LEFT, crashed);
    expect(await inputOf(w.local, w.runtime.id)).toBe('text');

    const refused = await sendError(
      w.local.send(w.runtime.id, 'SECOND fix the cron job', { idempotencyKey: key() }),
    );
    expect(refused).toMatchObject({ kind: 'input_not_empty', host: 'local', status: null });
    expect(refused.message).toContain('sim-left has text left in its input line');
    expect(refused.message).toContain('LEFTOVER fix the uploader');
    // Nothing merged: the agent was submitted nothing, and its input line holds the old text only.
    expect(w.prompts()).toEqual([]);
    expect(await w.inputLine()).toBe(LEFT);

    // Cleared with the agent's own keys: the pane forgets the crashed key, so it may be retried.
    const cleared = await w.local.input(w.runtime.id, { action: 'clear', idempotencyKey: crashed });
    expect(cleared).toMatchObject({ text: LEFT, keyWasLast: true });
    expect(cleared.runtime.input).toBe('empty');
    expect(await w.inputLine()).toBe('');
    await w.local.send(w.runtime.id, 'SECOND fix the cron job', { idempotencyKey: key() });
    await eventually(w.prompts, (p) => p.length >= 1, 'the prompt in the log');
    expect(w.prompts()).toEqual(['SECOND fix the cron job']);
  });

  it('submits the text left, alone, on the operator’s word', async () => {
    const w = await world();
    await w.leave(LEFT, key());
    const submitted = await w.local.input(w.runtime.id, { action: 'submit' });
    expect(submitted).toMatchObject({ text: LEFT, keyWasLast: false });
    await eventually(w.prompts, (p) => p.length >= 1, 'the prompt in the log');
    expect(w.prompts()).toEqual([LEFT]);
    // Nothing is left to submit now.
    await eventually(
      () => inputOf(w.local, w.runtime.id),
      (i) => i === 'empty',
      'empty input',
    );
  });

  it('the live monitor (the control room, host serve) shows the input line as it changes', async () => {
    const w = await world();
    const seen: Runtime[][] = [];
    const monitor = new LocalMonitor(w.watcher, w.profiles, {
      runtimes: (list) => seen.push(list),
      stateChanged: () => {},
    });
    monitor.start();
    cleanups.push(() => monitor.stop());
    const inputNow = () => seen.at(-1)?.find((r) => r.id === w.runtime.id)?.input;
    await eventually(inputNow, (i) => i === 'empty', 'the empty input line');
    await w.leave(LEFT, key());
    await eventually(inputNow, (i) => i === 'text', 'the text left in the input line');
    await w.local.input(w.runtime.id, { action: 'clear' });
    await eventually(inputNow, (i) => i === 'empty', 'the input line cleared');
  });

  it('refuses through host serve with 409 input_not_empty, neither busy nor adopted', async () => {
    const w = await world();
    const client = await startHost(w.local, dirs.make());
    const crashed = key();
    await w.leave(LEFT, crashed);
    await eventually(
      () => inputOf(client, w.runtime.id),
      (i) => i === 'text',
      'input on host',
    );

    const refused = await sendError(
      client.send(w.runtime.id, 'SECOND fix the cron job', { idempotencyKey: key() }),
    );
    expect(refused).toMatchObject({ kind: 'input_not_empty', host: 'buildbox', status: 409 });
    expect(w.prompts()).toEqual([]);
    expect(await w.inputLine()).toBe(LEFT);

    const cleared = await client.input(w.runtime.id, { action: 'clear', idempotencyKey: crashed });
    expect(cleared).toMatchObject({ text: LEFT, keyWasLast: true });
    await client.send(w.runtime.id, 'SECOND fix the cron job', { idempotencyKey: key() });
    await eventually(w.prompts, (p) => p.length >= 1, 'the prompt in the log');
    expect(w.prompts()).toEqual(['SECOND fix the cron job']);
  });
});
