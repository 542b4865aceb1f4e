import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult, parseJson } from './helpers/cli.js';
import {
  addTicket,
  eventTypes,
  type PickupTicket,
  showTicket,
  spawnCli,
  waitUntil,
} from './helpers/pickup-env.js';
import { simOnTmux } from './helpers/sim-on-tmux.js';

/**
 * `control-room pickup` and `dispatch` through the built CLI, against the simulated agent
 * (dist/sim-agent.js, profile `sim`) on a private tmux server per test (`tmux -L cr-e2e-…`,
 * started with `-f /dev/null` and killed at the end).
 */

const { setUp } = simOnTmux();

describe('pickup on the local tmux', () => {
  it('delivers to an idle agent: exit 0, in progress, the prompt typed once', async () => {
    const { cr, startSim, prompts } = await setUp(300);
    const id = await startSim('idle-one');
    const key = await addTicket(cr, 'the frobnicator drops every third frame');

    const result = await cr('--json', 'pickup', key, '--runtime', id);
    expect(result.code, describeResult(result)).toBe(0);
    const ticket = parseJson<PickupTicket>(result);
    expect(ticket.state).toBe('in_progress');
    expect(ticket.runtime).toEqual({ host: 'local', id, name: 'idle-one', adopted: false });
    expect(ticket.lastError).toBeNull();
    expect(ticket.messages).toEqual([
      expect.objectContaining({ state: 'delivered', runtime: `local:${id}`, error: null }),
    ]);
    expect(eventTypes(ticket)).toEqual(
      expect.arrayContaining(['claimed', 'send_queued', 'send_delivered']),
    );

    const typed = await prompts();
    expect(typed).toHaveLength(1);
    expect(typed[0]).toContain('the frobnicator drops every third frame');
    expect(typed[0]).toContain(key);
    expect(await showTicket(cr, key)).toEqual(ticket);
  });

  it('adopts a working agent (exit 3), then `dispatch` delivers once it is idle, once', async () => {
    const { server, cr, startSim, prompts } = await setUp(4000);
    const id = await startSim('working-one');
    const key = await addTicket(cr, 'the cache never expires');
    // Busy for 4 s from here: the pickup must come within them (exit 0 says it came late).
    await server.sendLiteral('working-one', 'warm up');
    await server.sendKey('working-one', 'Enter');
    await server.waitFor('working-one', 'the agent to work', (s) => s.includes('Working ('));

    const picked = await cr('--json', 'pickup', key, '--runtime', id);
    expect(picked.code, describeResult(picked)).toBe(3);
    const adopted = parseJson<PickupTicket>(picked);
    expect(adopted.state).toBe('in_progress');
    expect(adopted.runtime).toMatchObject({ host: 'local', id, adopted: true });
    expect(adopted.lastError).toBeNull();
    expect(adopted.messages).toEqual([expect.objectContaining({ state: 'pending', error: null })]);
    expect(eventTypes(adopted)).toContain('runtime_adopted');
    expect(picked.stderr).toMatch(/busy/);
    // Nothing was typed into the working agent.
    expect(await prompts()).toEqual(['warm up']);

    const dispatch = spawnCli(cr.home, [
      '--tmux-socket',
      server.socket,
      '--json',
      'dispatch',
      '--interval',
      '200',
    ]);
    const delivered = await waitUntil(
      'the dispatcher to deliver the waiting message',
      async () => {
        const ticket = await showTicket(cr, key);
        return ticket.messages[0]?.state === 'delivered' ? ticket : undefined;
      },
      30_000,
      200,
    );
    expect(delivered.state).toBe('in_progress');
    expect(delivered.runtime).toMatchObject({ host: 'local', id, adopted: false });
    expect(delivered.lastError).toBeNull();
    expect(delivered.messages).toHaveLength(1);
    expect(eventTypes(delivered)).toContain('send_delivered');

    // The agent works the ticket and turns idle again; one more pass of a second dispatcher
    // then finds nothing to send (a delivered message is never sent again).
    await server.waitFor('working-one', 'the ticket job to end', (s) =>
      s.includes(`done: Ticket ${key}`),
    );
    const once = await cr('--json', 'dispatch', '--once');
    expect(once.code, describeResult(once)).toBe(0);
    expect(once.stdout).toBe('');

    // How it ends is the next test's; here only what it printed counts.
    dispatch.child.kill('SIGTERM');
    await dispatch.exited;
    expect(dispatch.stdout().match(/"outcome": "delivered"/g) ?? []).toHaveLength(1);
    expect(dispatch.stdout()).not.toMatch(/"outcome": "failed"/);

    const typed = await prompts();
    expect(typed.filter((p) => p.includes('the cache never expires'))).toHaveLength(1);
    expect(typed).toHaveLength(2);
    expect(await showTicket(cr, key)).toMatchObject({ state: 'in_progress' });
  });

  it('`dispatch` stops cleanly on SIGTERM once it has looked at the local tmux', async () => {
    const { server, cr, startSim } = await setUp(60_000);
    const id = await startSim('long-one');
    await server.sendLiteral('long-one', 'warm up');
    await server.sendKey('long-one', 'Enter');
    await server.waitFor('long-one', 'the agent to work', (s) => s.includes('Working ('));
    const key = await addTicket(cr, 'the scheduler skips leap days');
    const picked = await cr('--json', 'pickup', key, '--runtime', id);
    expect(picked.code, describeResult(picked)).toBe(3);

    const dispatch = spawnCli(cr.home, ['--tmux-socket', server.socket, 'dispatch']);
    // Its first pass opens the local driver: a control-mode client on the server.
    await waitUntil('the dispatcher to attach to tmux', async () => {
      const clients = await server.run(['list-clients', '-F', '#{client_control_mode}']);
      return clients.split('\n').includes('1') ? true : undefined;
    });
    dispatch.child.kill('SIGTERM');
    // `Ctrl-C stops`: the loop ends, the process unregisters and exits 0, not by the signal.
    expect(await dispatch.exited, dispatch.stderr()).toBe(0);
    const after = await showTicket(cr, key);
    expect(after.messages).toEqual([expect.objectContaining({ state: 'pending' })]);
    expect(eventTypes(after)).not.toContain('send_interrupted');
  });

  it('`dispatch --once` says what it did and what still waits, and why', async () => {
    const { server, cr, startSim } = await setUp(60_000);
    const id = await startSim('busy-one');
    await server.sendLiteral('busy-one', 'warm up');
    await server.sendKey('busy-one', 'Enter');
    await server.waitFor('busy-one', 'the agent to work', (s) => s.includes('Working ('));
    const key = await addTicket(cr, 'the parser drops trailing commas');
    const picked = await cr('--json', 'pickup', key, '--runtime', id);
    expect(picked.code, describeResult(picked)).toBe(3);

    const once = await cr('dispatch', '--once');
    expect(once.code, describeResult(once)).toBe(0);
    expect(once.stdout).toMatch(/delivered 0, failed 0/);
    expect(once.stdout).toContain('1 message waiting');
    expect(once.stdout).toMatch(new RegExp(`${key} on local:busy-one — busy`));

    const json = await cr('--json', 'dispatch', '--once');
    expect(json.code, describeResult(json)).toBe(0);
    // One report, the waiting message (the same shape as a delivery's report).
    expect(JSON.parse(json.stdout)).toMatchObject({
      ticket: key,
      runtime: `local:${id}`,
      outcome: 'waiting',
      reason: 'busy',
    });
    expect((await showTicket(cr, key)).messages).toEqual([
      expect.objectContaining({ state: 'pending' }),
    ]);
  });

  it('`dispatch --once` with nothing waiting says so', async () => {
    const { cr } = await setUp(300);
    const once = await cr('dispatch', '--once');
    expect(once.code, describeResult(once)).toBe(0);
    expect(once.stdout).toMatch(/nothing waits in the outbox/);
  });

  it('fails with not_found when the session is gone (exit 4), back in todo', async () => {
    const { server, cr, startSim, prompts } = await setUp(300);
    const id = await startSim('gone-one');
    await server.run(['kill-session', '-t', 'gone-one']);
    const key = await addTicket(cr, 'the logger swallows errors');

    const result = await cr('--json', 'pickup', key, '--runtime', id);
    expect(result.code, describeResult(result)).toBe(4);
    const ticket = parseJson<PickupTicket>(result);
    expect(ticket.state).toBe('todo');
    expect(ticket.runtime).toBeNull();
    expect(ticket.lastError).toMatchObject({ kind: 'not_found', host: 'local' });
    expect(ticket.messages).toEqual([
      expect.objectContaining({ state: 'failed', runtime: `local:${id}`, error: 'not_found' }),
    ]);
    expect(eventTypes(ticket)).toContain('send_failed');
    expect(result.stderr).toContain('not_found');
    expect(await prompts()).toEqual([]);
    expect(await showTicket(cr, key)).toEqual(ticket);
  });

  it('--new sim starts a runtime for the ticket and delivers to it', async () => {
    const { server, cr, prompts } = await setUp(300);
    const key = await addTicket(cr, 'the importer double counts rows');

    const result = await cr('--json', 'pickup', key, '--new', 'sim', '--cwd', cr.home);
    expect(result.code, describeResult(result)).toBe(0);
    const ticket = parseJson<PickupTicket>(result);
    expect(ticket.state).toBe('in_progress');
    expect(ticket.lastError).toBeNull();
    expect(ticket.runtime).toMatchObject({ host: 'local', adopted: false });
    const runtime = ticket.runtime as NonNullable<PickupTicket['runtime']>;
    expect(runtime.name).toBe(`cr-${key.toLowerCase()}`);
    expect(ticket.messages).toEqual([
      expect.objectContaining({ state: 'delivered', runtime: `local:${runtime.id}` }),
    ]);
    const types = eventTypes(ticket);
    expect(types).toContain('runtime_started');
    expect(types.indexOf('runtime_started')).toBeLessThan(types.indexOf('send_delivered'));

    const sessions = (await server.run(['list-sessions', '-F', '#{session_name}'])).split('\n');
    expect(sessions).toContain(runtime.name);
    const listed = await cr('--json', 'runtimes', 'list');
    expect(listed.code, describeResult(listed)).toBe(0);
    expect(parseJson<{ id: string; profile: string; ticket: string }[]>(listed)).toContainEqual(
      expect.objectContaining({ id: runtime.id, profile: 'sim', ticket: key }),
    );
    const typed = await prompts();
    expect(typed).toHaveLength(1);
    expect(typed[0]).toContain('the importer double counts rows');
  });

  it('refuses a pickup to a shell before typing anything: --new shell, and a pane running sh (exit 4, invalid)', async () => {
    const { server, cr } = await setUp(300);
    const proof = join(cr.home, 'proof');
    const body = join(cr.home, 'body.md');
    await writeFile(body, `Issue: the shell ran this\ntouch ${proof}\n`);
    const add = async (title: string) => {
      const added = await cr('tickets', 'add', '--title', title, '--body-file', body);
      expect(added.code, describeResult(added)).toBe(0);
      return added.stdout.trim();
    };
    const env = { env: { SHELL: '/bin/bash' } };

    const fresh = await add('the shell profile');
    const started = await cr.with(
      env,
      '--json',
      'pickup',
      fresh,
      '--new',
      'shell',
      '--cwd',
      cr.home,
    );
    expect(started.code, describeResult(started)).toBe(4);
    const ticket = parseJson<PickupTicket>(started);
    expect(ticket.state).toBe('todo');
    expect(ticket.lastError).toMatchObject({ kind: 'invalid', host: 'local' });
    expect(ticket.lastError?.message).toMatch(/starts bash, a shell: pick an agent profile/);
    // Refused before anything starts: no session is left behind for the operator to clean up.
    expect(await server.sessionNames()).not.toContain(`cr-${fresh.toLowerCase()}`);

    await server.newSession('plain', ['sh']);
    const plain = await add('a plain shell pane');
    const sent = await cr.with(env, '--json', 'pickup', plain, '--runtime', 'plain');
    expect(sent.code, describeResult(sent)).toBe(4);
    expect(parseJson<PickupTicket>(sent).lastError).toMatchObject({ kind: 'invalid' });
    expect(sent.stderr).toContain('plain runs sh, a shell');

    expect(await server.capture('plain')).not.toContain('touch');
    expect(existsSync(proof)).toBe(false);
  });
});
