import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTmuxDriver, MAX_SEND_BYTES } from '../../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../../src/adapters/tmux/tmux-watcher.js';
import type { Profile } from '../../src/domain/index.js';
import { sendError } from './helpers/send-error.js';
import { SIM_AGENT } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

/**
 * LocalTmuxDriver.send against the simulated agent (src/sim-agent, run from source) in a real
 * tmux pane on a private server (`tmux -L cr-it-<random> -f /dev/null`), killed after each test.
 * What the agent received is read from its prompt log (`--log`, one JSON line per submitted
 * prompt), never from the screen alone.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The agent's status line while it waits for a prompt (src/sim-agent/agent.ts). */
const IDLE_HINT = 'enter to send';
const WORKING = 'esc to interrupt';

const server = privateTmuxPerTest();
const dirs = tempDirsPerTest();

interface Agent {
  driver: LocalTmuxDriver;
  id: string;
  pane: string;
  log: string;
  /** The screen as one string. */
  screen(): Promise<string>;
  /** Every prompt the agent logged, in order. */
  prompts(): string[];
  /** Waits until `count` jobs are done and the agent is idle again. */
  idleAfter(count: number, timeoutMs?: number): Promise<string>;
}

/**
 * One simulated agent made by the driver, on a server started first (with `-f /dev/null` and
 * `exit-empty off`), ready and idle. With `watcher`, the driver reads over a control connection.
 */
async function startAgent(
  options: { workMs?: number; watcher?: boolean; rows?: number; extra?: string[] } = {},
): Promise<Agent> {
  await server.tmux('start-server', ';', 'set', '-g', 'exit-empty', 'off');
  const log = join(dirs.make(), 'prompts.jsonl');
  const profiles: Record<string, Profile> = {
    sim: {
      name: 'sim',
      command: [
        ...SIM_AGENT,
        '--log',
        log,
        '--work-ms',
        String(options.workMs ?? 200),
        ...(options.extra ?? []),
      ],
      env: {},
      detector: 'sim',
    },
  };
  const tmux = new TmuxClient({ socketName: server.name() });
  let watcher: TmuxWatcher | undefined;
  if (options.watcher) {
    watcher = new TmuxWatcher(tmux, { minBackoffMs: 50, maxBackoffMs: 200 });
    watcher.start();
    const started = watcher;
    onCleanup(() => started.stop());
  }
  const driver = new LocalTmuxDriver({ tmux, watcher, profiles });
  const runtime = await driver.create({
    profile: 'sim',
    cwd: REPO_ROOT,
    name: 'agent',
    size: { columns: 200, rows: options.rows ?? 50 },
  });
  if (watcher) {
    const connected = watcher;
    await eventually(
      () => connected.connected,
      (up) => up,
      'the watcher connected to the new session',
    );
  }
  const pane = (await server.tmux('list-panes', '-t', 'agent', '-F', '#{pane_id}')).trim();
  const screen = async () => (await driver.screen(runtime.id)).lines.join('\n');
  const agent: Agent = {
    driver,
    id: runtime.id,
    pane,
    log,
    screen,
    prompts: () => promptsIn(log),
    idleAfter: (count, timeoutMs = 15_000) =>
      eventually(
        screen,
        (s) => doneLines(s) === count && s.includes(IDLE_HINT) && !s.includes(WORKING),
        `${count} finished job(s) and an idle agent`,
        timeoutMs,
      ),
  };
  await eventually(
    screen,
    (s) => s.includes('sim-agent ready') && s.includes(IDLE_HINT),
    'the agent ready and idle',
    20_000,
  );
  return agent;
}

/** A sim profile for drivers that only send (the command is never run). */
function simOnly(): Profile {
  return { name: 'sim', command: ['true'], env: {}, detector: 'sim' };
}

const cleanups: (() => void)[] = [];
function onCleanup(work: () => void): void {
  cleanups.push(work);
}
// Registered after the server's hook, so it runs first: watchers stop before the server dies.
afterEach(() => {
  for (const work of cleanups.splice(0).reverse()) work();
});

function promptsIn(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { at: string; prompt: string }).prompt);
}

/** How many jobs the screen shows as finished (`done: …` lines). */
function doneLines(screen: string): number {
  return screen.split('\n').filter((line) => line.startsWith('done: ')).length;
}

/** The input line (`› …`, the last non-empty line) without its prompt; null when not drawn. */
function inputLine(screen: string): string | null {
  const last = screen
    .split('\n')
    .filter((line) => line.trim() !== '')
    .at(-1);
  return last?.startsWith('›') ? last.slice(1).trim() : null;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const send = (agent: Agent, text: string, submit = true) =>
  agent.driver.send(agent.id, text, {
    submit,
    idempotencyKey: `k-${randomBytes(6).toString('hex')}`,
  });

describe.each([
  { mode: 'over a control connection', watcher: true },
  { mode: 'with a process per tmux call', watcher: false },
])('LocalTmuxDriver.send $mode', ({ watcher }) => {
  it('delivers a prompt to an idle agent: one log entry, byte for byte', async () => {
    const agent = await startAgent({ watcher });
    const text = 'Please summarise README.md in three bullet points, then stop.';
    const receipt = await send(agent, text);
    expect(receipt.messageId).toMatch(/^msg_\S+$/);
    expect(receipt.runtime).toMatchObject({ id: agent.id, name: 'agent', profile: 'sim' });
    await agent.idleAfter(1);
    expect(agent.prompts()).toEqual([text]);
  });

  it('says not_found for a session that was killed, and for an id that never existed', async () => {
    const agent = await startAgent({ watcher });
    await server.tmux('kill-session', '-t', 'agent');
    await eventually(
      () => server.tmux('list-sessions', '-F', '#{session_name}'),
      (names) => !names.split('\n').includes('agent'),
      'the session gone',
    );
    expect(await sendError(send(agent, 'anyone there?'))).toMatchObject({ kind: 'not_found' });
    expect(await sendError(send(agent, 'hello'))).toMatchObject({ kind: 'not_found' });
    const unknown = await sendError(
      agent.driver.send('rt_999_zz', 'hello', { idempotencyKey: 'k-unknown' }),
    );
    expect(unknown).toMatchObject({ kind: 'not_found', host: 'local' });
    expect(agent.prompts()).toEqual([]);
  });
});

describe('LocalTmuxDriver.send', () => {
  it('types a text once per idempotency key, also for another driver (a new process)', async () => {
    const agent = await startAgent({ watcher: true, workMs: 3000 });
    const options = { idempotencyKey: 'k-once' };
    const first = await agent.driver.send(agent.id, 'only once, please', options);
    // The same driver answers a repeat with the first answer, typing nothing.
    expect(await agent.driver.send(agent.id, 'only once, please', options)).toEqual(first);
    // A new driver knows nothing of the key but the pane does: while the agent works on the
    // text, the repeat is delivered without typing; once it is idle again, it is not typed
    // either, and the outcome stays unknown rather than delivered twice.
    const tmux = new TmuxClient({ socketName: server.name() });
    const fresh = new LocalTmuxDriver({ tmux, profiles: { sim: simOnly() } });
    const again = await fresh.send(agent.id, 'only once, please', options);
    expect(again.runtime.id).toBe(agent.id);
    await agent.idleAfter(1);
    const later = new LocalTmuxDriver({ tmux, profiles: { sim: simOnly() } });
    const error = await sendError(later.send(agent.id, 'only once, please', options));
    expect(error).toMatchObject({ kind: 'post_send' });
    expect(error.message).toMatch(/not typed again/);
    expect(agent.prompts()).toEqual(['only once, please']);
    // Another key is another message.
    await fresh.send(agent.id, 'a second text', { idempotencyKey: 'k-other' });
    await agent.idleAfter(2);
    expect(agent.prompts()).toEqual(['only once, please', 'a second text']);
  });

  it('types nothing on a resend of a text the pane was sent under another key; a new send of it goes in', async () => {
    const agent = await startAgent({ watcher: true });
    const text = 'fix the flaky upload test';
    await agent.driver.send(agent.id, text, { idempotencyKey: 'k-first' });
    await agent.idleAfter(1);
    // Out of sight (screen and history cleared): only the pane's memory of the text is left.
    await server.tmux('send-keys', '-R', '-t', agent.pane);
    await server.tmux('clear-history', '-t', agent.pane);
    const tmux = new TmuxClient({ socketName: server.name() });
    const later = new LocalTmuxDriver({ tmux, profiles: { sim: simOnly() } });
    const resend = { idempotencyKey: 'k-unknown', resend: true };
    const error = await sendError(later.send(agent.id, text, resend));
    expect(error).toMatchObject({ kind: 'post_send' });
    expect(error.message).toContain('the same text was typed into it by another send');
    expect(agent.prompts()).toEqual([text]);
    // Not a resend (the ticket picked up again): the same text is a new prompt.
    await later.send(agent.id, text, { idempotencyKey: 'k-again' });
    await eventually(agent.prompts, (p) => p.length === 2, 'the second prompt logged');
    expect(agent.prompts()).toEqual([text, text]);
  });

  it("believes a working screen over a hook's stale idle, and types nothing", async () => {
    const agent = await startAgent({ watcher: true, workMs: 4000, extra: ['--state-hook'] });
    await send(agent, 'first: keep busy');
    await eventually(agent.screen, (s) => s.includes(WORKING), 'the agent working');
    await eventually(
      () => server.tmux('display-message', '-p', '-t', agent.pane, '#{@agent_state}'),
      (state) => state.trim() === 'busy',
      "the agent's hook reporting busy",
    );
    // As if the hook had not run yet: the pane still says idle from the last turn.
    await server.tmux('set-option', '-p', '-t', agent.pane, '@agent_state', 'idle');
    const refused = await sendError(send(agent, 'second: must wait'));
    expect(refused).toMatchObject({ kind: 'busy' });
    expect(inputLine(await agent.screen())).toBe('');
    await agent.idleAfter(1);
    expect(agent.prompts()).toEqual(['first: keep busy']);
  });

  it('refuses a busy agent with busy, and types nothing into it', async () => {
    const agent = await startAgent({ watcher: true, workMs: 4000 });
    const first = 'first: run the migration';
    await send(agent, first);
    await eventually(agent.screen, (s) => s.includes(WORKING), 'the agent working');
    const refused = await sendError(send(agent, 'second: this must not arrive'));
    expect(refused).toMatchObject({ kind: 'busy', host: 'local' });
    // Nothing was typed: the input line is still empty while it works.
    expect(inputLine(await agent.screen())).toBe('');
    const after = await agent.idleAfter(1);
    expect(inputLine(after)).toBe('');
    expect(agent.prompts()).toEqual([first]);
  });

  it('refuses an empty text and one over the size limit as invalid, typing nothing', async () => {
    const agent = await startAgent({ watcher: true });
    expect(await sendError(send(agent, ''))).toMatchObject({ kind: 'invalid' });
    // Only control characters: nothing is left to type.
    expect(await sendError(send(agent, '\x1b\x07\x00'))).toMatchObject({ kind: 'invalid' });
    expect(await sendError(send(agent, 'x'.repeat(MAX_SEND_BYTES + 1)))).toMatchObject({
      kind: 'invalid',
    });
    // Bytes, not characters: 87,382 three-byte characters are 262,146 bytes.
    expect(
      await sendError(send(agent, '日'.repeat(Math.ceil((MAX_SEND_BYTES + 1) / 3)))),
    ).toMatchObject({ kind: 'invalid' });
    const screen = await agent.screen();
    expect(inputLine(screen)).toBe('');
    expect(screen).toContain(IDLE_HINT);
    expect(agent.prompts()).toEqual([]);
  });

  it('types every text of an injection corpus literally, each as one prompt', async () => {
    const marker = randomBytes(6).toString('hex');
    const pwned = `/tmp/pwned-${marker}`;
    const pwnedByBackticks = `/tmp/pwned-${marker}-bt`;
    // [what, sent, expected in the log]: control characters other than tab and newline are
    // dropped, CR and CRLF become LF; everything else arrives as written.
    const corpus: [string, string, string][] = [
      ['a key name', 'Enter', 'Enter'],
      ['a key name', 'C-c', 'C-c'],
      ['a key name', 'Escape', 'Escape'],
      ['a tmux command', 'send-keys -t 0 C-c Enter', 'send-keys -t 0 C-c Enter'],
      ['tmux command separators', 'one ; two \\; three;', 'one ; two \\; three;'],
      ['a command substitution', `$(touch ${pwned})`, `$(touch ${pwned})`],
      [
        'backticks',
        `\`touch ${pwnedByBackticks}\` and \`id\``,
        `\`touch ${pwnedByBackticks}\` and \`id\``,
      ],
      ['quotes', `it's "quoted" and 'single' \\"x\\"`, `it's "quoted" and 'single' \\"x\\"`],
      ['a leading dash', '-t %0 -l C-c', '-t %0 -l C-c'],
      ['a lone dash pair', '--', '--'],
      ['tabs', 'col1\tcol2\t\tcol3', 'col1\tcol2\t\tcol3'],
      ['spaces around', '  padded  ', '  padded  '],
      ['Unicode', '日本語のテキスト é 👩‍💻 👨‍👩‍👧‍👦', '日本語のテキスト é 👩‍💻 👨‍👩‍👧‍👦'],
      ['several lines', 'first\nsecond\r\nthird\rfourth', 'first\nsecond\nthird\nfourth'],
      ['a paste end marker', 'before \x1b[201~ after', 'before [201~ after'],
      ['an OSC 52 clipboard write', 'x \x1b]52;c;AAAA\x07 y', 'x ]52;c;AAAA y'],
      ['other control characters', 'a\x00b\x03c\x7fd\x9be\x15f', 'abcdef'],
    ];
    // A tall pane keeps every `done:` line on screen.
    const agent = await startAgent({ watcher: true, workMs: 50, rows: 150 });
    onCleanup(() => {
      rmSync(pwned, { force: true });
      rmSync(pwnedByBackticks, { force: true });
    });
    for (const [index, [what, text]] of corpus.entries()) {
      await send(agent, text).catch((error: unknown) => {
        throw new Error(`sending ${what} (${JSON.stringify(text)}) failed: ${String(error)}`);
      });
      await agent.idleAfter(index + 1);
      expect(agent.prompts(), what).toHaveLength(index + 1);
    }
    expect(agent.prompts()).toEqual(corpus.map(([, , expected]) => expected));
    expect(existsSync(pwned)).toBe(false);
    expect(existsSync(pwnedByBackticks)).toBe(false);
  });

  it('delivers 200 KB of text intact', async () => {
    const parts: string[] = [];
    let bytes = 0;
    for (let n = 0; bytes < 200 * 1024; n++) {
      const line = `line ${n}: the quick brown fox jumps over the lazy dog · 日本語 ✓ ${'#'.repeat(n % 17)}\n`;
      parts.push(line);
      bytes += Buffer.byteLength(line);
    }
    const text = `${parts.join('')}END`;
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(200 * 1024);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SEND_BYTES);
    const agent = await startAgent({ watcher: true });
    await send(agent, text);
    await agent.idleAfter(1, 30_000);
    const logged = agent.prompts();
    expect(logged).toHaveLength(1);
    const prompt = logged[0] ?? '';
    expect(Buffer.byteLength(prompt)).toBe(Buffer.byteLength(text));
    expect(sha256(prompt)).toBe(sha256(text));
  });

  it('with submit false types the text but does not submit it, and no send goes after it', async () => {
    const agent = await startAgent({ watcher: true });
    const receipt = await send(agent, 'first line\nsecond line', false);
    expect(receipt.messageId).toMatch(/^msg_/);
    // A multi-line paste shows as a marker on the input line, and stays there.
    await eventually(
      agent.screen,
      (s) => inputLine(s) === '[Pasted text: 2 lines, 22 chars]',
      'the pasted-text marker on the input line',
    );
    // The text left in the input line is the operator's to submit: a send never joins it.
    const refused = await sendError(send(agent, ' and more', false));
    expect(refused).toMatchObject({ kind: 'input_not_empty' });
    const screen = await agent.screen();
    expect(inputLine(screen)).toBe('[Pasted text: 2 lines, 22 chars]');
    expect(screen).toContain(IDLE_HINT);
    expect(doneLines(screen)).toBe(0);
    expect(agent.prompts()).toEqual([]);
    // The text was all there: one Enter submits it as one prompt.
    await server.tmux('send-keys', '-t', agent.pane, 'Enter');
    await agent.idleAfter(1);
    expect(agent.prompts()).toEqual(['first line\nsecond line']);
  });
});
