import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { type BoundCli, describeResult, homeCli, parseJson, REPO_ROOT } from './cli.js';
import { TmuxServer } from './tmux.js';

/**
 * A home whose `sim` profile runs the simulated agent (dist/sim-agent.js), on a private tmux
 * server per test (`tmux -L cr-e2e-…`, started with `-f /dev/null`, killed at the end).
 * Call once per test file, at the top: it registers the cleanup.
 */
export function simOnTmux() {
  const servers: TmuxServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
  });
  return { setUp: (workMs: number) => setUpOn(servers, workMs) };
}

export const SIM_AGENT_JS = join(REPO_ROOT, 'dist', 'sim-agent.js');

export interface Setup {
  server: TmuxServer;
  /** The CLI on this test's home and tmux server. */
  cr: BoundCli;
  /** Starts a sim runtime with `runtimes new` and waits until its agent shows its input line. */
  startSim(name: string): Promise<string>;
  /** The prompts the sim agents submitted (their --log), oldest first. */
  prompts(): Promise<string[]>;
}

async function setUpOn(servers: TmuxServer[], workMs: number): Promise<Setup> {
  const server = new TmuxServer();
  servers.push(server);
  // The server starts with -f /dev/null through a session of our own, never the CLI.
  await server.newSession('keep', ['sleep', '600']);
  const home = await homeCli();
  const log = join(home.home, 'prompts.jsonl');
  const command = [process.execPath, SIM_AGENT_JS, '--log', log, '--work-ms', String(workMs)];
  // JSON is YAML: the paths need no quoting rules of their own.
  await writeFile(
    join(home.home, 'config.yaml'),
    JSON.stringify({ profiles: { sim: { command, detector: 'sim' } } }),
  );
  const cr = ((...args: string[]) => home('--tmux-socket', server.socket, ...args)) as BoundCli;
  cr.home = home.home;
  cr.with = (options, ...args) => home.with(options, '--tmux-socket', server.socket, ...args);

  const startSim = async (name: string): Promise<string> => {
    const made = await cr(
      '--json',
      'runtimes',
      'new',
      '--profile',
      'sim',
      '--name',
      name,
      '--cwd',
      home.home,
    );
    expect(made.code, describeResult(made)).toBe(0);
    const { id } = parseJson<{ id: string }>(made);
    await server.waitFor(name, 'the agent to show its input line', (s) =>
      s.includes('enter to send'),
    );
    return id;
  };
  const prompts = async (): Promise<string[]> => {
    const text = await readFile(log, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { prompt: string }).prompt);
  };
  return { server, cr, startSim, prompts };
}
