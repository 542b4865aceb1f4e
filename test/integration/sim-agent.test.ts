import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Key, KeyDecoder } from '../../src/sim-agent/keys.js';

/**
 * The simulated agent (src/sim-agent) run from source in a real tmux pane, on a private server
 * (`tmux -L sim-<random> -f /dev/null`) that is killed after each test.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(REPO_ROOT, 'src', 'sim-agent', 'main.ts');
const AGENT = [process.execPath, '--import', 'tsx', MAIN];
const QUESTION = 'Allow command "npm test"? (y/n)';
const ROWS = 30;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string) {
  return new Promise<Run>((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env,
      timeout: 15_000,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
    if (input !== undefined) {
      child.stdin?.on('error', reject);
      child.stdin?.end(input);
    }
  });
}

/** The test's environment without the caller's tmux, and with a UTF-8 locale. */
function tmuxEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  if (!/utf-?8/i.test(locale)) {
    delete env.LC_ALL;
    delete env.LC_CTYPE;
    env.LANG = 'C.UTF-8';
  }
  return env;
}

class PrivateTmux {
  readonly socket = `sim-${randomBytes(6).toString('hex')}`;

  async run(args: readonly string[], input?: string): Promise<string> {
    const result = await run(
      'tmux',
      ['-L', this.socket, '-f', '/dev/null', ...args],
      tmuxEnv(),
      input,
    );
    if (result.code !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  async kill(): Promise<void> {
    await this.run(['kill-server']).catch(() => {});
    const uid = process.getuid?.();
    if (uid !== undefined) {
      const dir = join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`);
      rmSync(join(dir, this.socket), { force: true });
    }
  }
}

let servers: PrivateTmux[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.kill()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  servers = [];
  dirs = [];
});

/**
 * A running agent in a 120×30 pane. After the agent ends, the pane prints `EXITED:<code>`, the
 * terminal's icanon and echo settings, and then runs `cat -v` (which shows paste markers).
 */
class AgentPane {
  constructor(
    readonly tmux: PrivateTmux,
    readonly pane: string,
    readonly log: string,
  ) {}

  static async start(args: readonly string[]): Promise<AgentPane> {
    const tmux = new PrivateTmux();
    servers.push(tmux);
    const dir = mkdtempSync(join(tmpdir(), 'cr-sim-'));
    dirs.push(dir);
    const log = join(dir, 'prompts.jsonl');
    const script =
      '"$@"; echo "EXITED:$?"; stty -a | tr -s " ;" "\\n\\n" | grep -x -E -- "-?(icanon|echo)"; exec cat -v';
    const pane = (
      await tmux.run([
        'new-session',
        '-d',
        '-P',
        '-F',
        '#{pane_id}',
        '-x',
        '120',
        '-y',
        String(ROWS),
        '-c',
        REPO_ROOT,
        '--',
        'sh',
        '-c',
        script,
        'sh',
        ...AGENT,
        '--log',
        log,
        ...args,
      ])
    ).trim();
    const agent = new AgentPane(tmux, pane, log);
    await agent.waitFor('the banner', (screen) => screen.includes('sim-agent ready'));
    return agent;
  }

  screen(): Promise<string> {
    return this.tmux.run(['capture-pane', '-p', '-t', this.pane]);
  }

  /** Polls the screen until `done` holds; past the deadline, fails with the last screen. */
  async waitFor(what: string, done: (screen: string) => boolean, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (done(screen)) return screen;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; the screen showed:\n${screen}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The input line: the pane's last line. */
  async inputLine(): Promise<string> {
    return ((await this.screen()).split('\n')[ROWS - 1] ?? '').trimEnd();
  }

  type(text: string): Promise<string> {
    return this.tmux.run(['send-keys', '-t', this.pane, '-l', text]);
  }

  key(name: string): Promise<string> {
    return this.tmux.run(['send-keys', '-t', this.pane, name]);
  }

  /** Pastes `text` the way control-room sends it: load-buffer from stdin, paste-buffer -p. */
  async paste(text: string): Promise<void> {
    const buffer = `b-${randomBytes(4).toString('hex')}`;
    await this.tmux.run(['load-buffer', '-b', buffer, '-'], text);
    await this.tmux.run(['paste-buffer', '-p', '-d', '-b', buffer, '-t', this.pane]);
  }

  entries(): { at: string; prompt: string }[] {
    if (!existsSync(this.log)) return [];
    const text = readFileSync(this.log, 'utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { at: string; prompt: string });
  }

  async waitForEntries(count: number): Promise<{ at: string; prompt: string }[]> {
    const deadline = Date.now() + 20_000;
    while (this.entries().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} log entries`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.entries();
  }

  state(): Promise<string> {
    return this.tmux.run(['show-options', '-p', '-t', this.pane, '-v', '@agent_state']).then(
      (out) => out.trim(),
      () => '(unset)',
    );
  }

  async waitForState(state: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const last = await this.state();
      if (last === state) return;
      if (Date.now() > deadline) throw new Error(`expected @agent_state ${state}, saw ${last}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  flags(): Promise<string> {
    const format = '#{wrap_flag} #{scroll_region_upper} #{scroll_region_lower}';
    return this.tmux.run(['display-message', '-p', '-t', this.pane, format]).then((s) => s.trim());
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sim-agent in tmux', () => {
  it('logs a typed prompt exactly, shows esc to interrupt while working, then the prompt again', async () => {
    const agent = await AgentPane.start(['--work-ms', '1500', '--name', 'typist']);
    expect(await agent.screen()).toContain('sim-agent ready · typist');
    const prompt = 'fix the build: ünïcode 日本語 and "quotes" $HOME';
    await agent.type(prompt);
    await agent.waitFor('the typed text', (s) => s.includes(`› ${prompt}`));
    await agent.key('Enter');

    const working = await agent.waitFor('work', (s) => s.includes('esc to interrupt'));
    expect(working).toContain('step 1 of 3');
    expect(working).not.toContain('done:');
    const done = await agent.waitFor('the end of work', (s) => s.includes('done: fix the build'));
    expect(done).not.toContain('esc to interrupt');
    expect(await agent.inputLine()).toBe('›');

    const entries = agent.entries();
    expect(entries.map((e) => e.prompt)).toEqual([prompt]);
    expect(Object.keys(entries[0] ?? {})).toEqual(['at', 'prompt']);
    expect(new Date(entries[0]?.at ?? '').toISOString()).toBe(entries[0]?.at);
    // Without --state-hook the agent leaves the pane option alone.
    expect(await agent.state()).toBe('(unset)');
  });

  it('keeps input typed while working, ignores Enter then, and stops on Escape', async () => {
    const agent = await AgentPane.start(['--work-ms', '60000']);
    await agent.type('first job');
    await agent.key('Enter');
    await agent.waitFor('work', (s) => s.includes('esc to interrupt'));
    await agent.type('second');
    await agent.key('Enter');
    await agent.type(' job');
    // Keys are read in order: once ' job' shows, the Enter before it was handled.
    await agent.waitFor('the buffered input', (s) => s.includes('› second job'));
    expect(agent.entries().map((e) => e.prompt)).toEqual(['first job']);

    await agent.key('Escape');
    const stopped = await agent.waitFor('the interrupt', (s) => s.includes('interrupted'));
    expect(stopped).not.toContain('esc to interrupt');
    expect(stopped).not.toContain('done:');
    expect(await agent.inputLine()).toBe('› second job');
    await agent.key('Enter');
    const entries = await agent.waitForEntries(2);
    expect(entries.map((e) => e.prompt)).toEqual(['first job', 'second job']);
  });

  it('takes a multi-line paste with tabs, shell syntax, quotes and Unicode as one prompt', async () => {
    const agent = await AgentPane.start(['--work-ms', '200']);
    const text = [
      'first line\twith a tab; echo "double" \'single\' `tick`',
      '$(rm -rf x) && ls | wc -l > out.txt',
      '',
      'Unicode: ünïcödé — 日本語 — 🚀 — ∑',
      '  indented last line\t',
    ].join('\n');
    await agent.paste(text);
    await agent.waitFor('the paste', (s) => s.includes('[Pasted text: 5 lines'));
    // Newlines inside a paste do not submit.
    expect(agent.entries()).toEqual([]);
    await agent.key('Enter');
    const entries = await agent.waitForEntries(1);
    expect(entries.map((e) => e.prompt)).toEqual([text]);
    await agent.waitFor('the end of work', (s) => s.includes('done: first line with a tab;'));
    expect(agent.entries()).toHaveLength(1);
  });

  it('receives a 200 KB paste whole', async () => {
    const agent = await AgentPane.start(['--work-ms', '100']);
    const lines: string[] = [];
    for (let i = 0, length = 0; length < 200_000; i++) {
      const line = `${i}\t${'abcdefghij'.repeat(1 + (i % 9))} ünï 日本 "q" $(x) ; end`;
      lines.push(line);
      length += line.length + 1;
    }
    const text = lines.join('\n');
    expect(Buffer.byteLength(text)).toBeGreaterThan(200_000);
    await agent.paste(text);
    await agent.waitFor('the paste', (s) => s.includes(`[Pasted text: ${lines.length} lines`));
    await agent.key('Enter');
    const [entry] = await agent.waitForEntries(1);
    expect(entry?.prompt.length).toBe(text.length);
    expect(sha256(entry?.prompt ?? '')).toBe(sha256(text));
  });

  it('asks for approval on [approve] and goes on after y', async () => {
    const agent = await AgentPane.start(['--work-ms', '300']);
    await agent.type('run the tests [approve]');
    await agent.key('Enter');
    const asking = await agent.waitFor('the question', (s) => s.includes(QUESTION));
    expect(asking).not.toContain('done:');
    await agent.type('y');
    const done = await agent.waitFor('the answer', (s) => s.includes('done: run the tests'));
    expect(done).toContain('answer: y');
    expect(done).not.toContain('esc to interrupt');
    expect(agent.entries().map((e) => e.prompt)).toEqual(['run the tests [approve]']);
  });

  it('asks after every job with --ask-every, and n answers no', async () => {
    const agent = await AgentPane.start(['--work-ms', '100', '--ask-every']);
    await agent.type('plain job');
    await agent.key('Enter');
    await agent.waitFor('the question', (s) => s.includes(QUESTION));
    await agent.type('n');
    const done = await agent.waitFor('the answer', (s) => s.includes('done: plain job'));
    expect(done).toContain('answer: n');
  });

  it('reports busy, waiting and idle through @agent_state with --state-hook', async () => {
    const agent = await AgentPane.start(['--work-ms', '1500', '--state-hook']);
    await agent.waitForState('idle');
    await agent.type('hooked job');
    await agent.key('Enter');
    await agent.waitForState('busy');
    await agent.waitForState('idle');
    expect(await agent.screen()).toContain('done: hooked job');

    await agent.type('hooked [approve]');
    await agent.key('Enter');
    await agent.waitForState('busy');
    await agent.waitForState('waiting');
    await agent.type('y');
    await agent.waitForState('idle');
  });

  it('exits with 0 on /exit and restores the terminal', async () => {
    const agent = await AgentPane.start([]);
    // While it runs: autowrap off, output scrolls above the status and input lines.
    expect(await agent.flags()).toBe(`0 0 ${ROWS - 3}`);
    await agent.type('/exit');
    await agent.key('Enter');
    const after = await agent.waitFor('the exit', (s) => /^echo$/m.test(s));
    expect(after).toContain('EXITED:0');
    expect(after).toMatch(/^icanon$/m);
    expect(agent.entries()).toEqual([]);
    expect(await agent.flags()).toBe(`1 0 ${ROWS - 1}`);
    // Bracketed paste is off again: `cat -v` gets the paste without its markers.
    await agent.paste('pasted-after-exit\n');
    const pasted = await agent.waitFor('cat', (s) => s.split('pasted-after-exit').length > 2);
    expect(pasted).not.toContain('[200~');
  });

  it('exits on Ctrl-D only when the input line is empty', async () => {
    const agent = await AgentPane.start([]);
    await agent.type('abc');
    await agent.key('C-d');
    await agent.type('d');
    await agent.waitFor('more input', (s) => s.includes('› abcd'));
    expect(await agent.screen()).not.toContain('EXITED');
    await agent.key('C-u');
    await agent.key('C-d');
    expect(await agent.waitFor('the exit', (s) => s.includes('EXITED:'))).toContain('EXITED:0');
  });
});

describe('sim-agent options', () => {
  const runAgent = (args: readonly string[]) =>
    run(AGENT[0] as string, [...AGENT.slice(1), ...args], process.env);

  it.each([
    [['--bogus']],
    [['--work-ms', 'soon']],
    [['--work-ms=-5']],
    [['--work-ms', '1.5']],
    [['--log']],
    [['stray-positional']],
  ])('refuses %j with exit code 2 and a message on stderr', async (args) => {
    const result = await runAgent(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sim-agent: .+\nusage: sim-agent/s);
    expect(result.stdout).toBe('');
  });

  it('prints its usage with --help', async () => {
    const result = await runAgent(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--work-ms N');
  });
});

describe('sim-agent key decoder', () => {
  /** The keys `chunks` decode to, with adjacent text keys joined. */
  function decode(chunks: readonly (string | Buffer)[]): Key[] {
    const keys: Key[] = [];
    const decoder = new KeyDecoder((key) => {
      const last = keys.at(-1);
      if (key.kind === 'text' && last?.kind === 'text') last.text += key.text;
      else keys.push(key);
    });
    for (const chunk of chunks) decoder.write(chunk);
    decoder.dispose();
    return keys;
  }

  it('reassembles a paste and UTF-8 split at every byte, markers included', () => {
    const bytes = Buffer.from('ab\x1b[200~one\r\ntwo\rü 日本 🚀\t\x1b[201~ü\r', 'utf8');
    const chunks = Array.from(bytes, (byte) => Buffer.from([byte]));
    expect(decode(chunks)).toEqual([
      { kind: 'text', text: 'ab' },
      { kind: 'paste', text: 'one\ntwo\nü 日本 🚀\t' },
      { kind: 'text', text: 'ü' },
      { kind: 'enter' },
    ]);
  });

  it('tells a lone Escape from the start of a sequence split across chunks', () => {
    vi.useFakeTimers();
    try {
      const keys: Key[] = [];
      const decoder = new KeyDecoder((key) => keys.push(key));
      decoder.write('\x1b');
      decoder.write('[A'); // an arrow key: nothing
      vi.advanceTimersByTime(100);
      expect(keys).toEqual([]);
      decoder.write('\x1b');
      vi.advanceTimersByTime(100);
      expect(keys).toEqual([{ kind: 'escape' }]);
      decoder.write('\x7f\x03\x04\x15');
      expect(keys.slice(1).map((k) => k.kind)).toEqual(['backspace', 'ctrl-c', 'ctrl-d', 'ctrl-u']);
    } finally {
      vi.useRealTimers();
    }
  });
});
