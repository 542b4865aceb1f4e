import { describe, expect, it } from 'vitest';
import { describeResult, parseJson } from './helpers/cli.js';
import { addTicket, type PickupTicket, showTicket, waitUntil } from './helpers/pickup-env.js';
import { simOnTmux } from './helpers/sim-on-tmux.js';
import { tuiCommand } from './helpers/tmux.js';

/**
 * Tickets follow their runtimes: the simulated agent (dist/sim-agent.js) asks for approval on a
 * prompt holding `[approve]`, is answered with send-keys, and the ticket leaves needs input, on
 * the control room's screen and in `tickets show` of another process. Real tmux (a private
 * server per test), the built CLI, a real SQLite file.
 */

const { setUp } = simOnTmux();
const PANE = 'tui';
const QUESTION = 'Allow command "npm test"? (y/n)';

const rowOf = (screen: string, key: string) =>
  screen.split('\n').find((line) => line.includes(key)) ?? '';

async function pickedUp(setup: Awaited<ReturnType<typeof setUp>>, title: string) {
  const id = await setup.startSim('agent');
  const key = await addTicket(setup.cr, title);
  const picked = await setup.cr('--json', 'pickup', key, '--runtime', id);
  expect(picked.code, describeResult(picked)).toBe(0);
  expect(parseJson<PickupTicket>(picked).state).toBe('in_progress');
  return key;
}

const stateOf = (setup: Awaited<ReturnType<typeof setUp>>, key: string, state: string) =>
  waitUntil(`${key} stored as ${state}`, async () =>
    (await showTicket(setup.cr, key)).state === state ? true : undefined,
  );

describe('tickets follow their runtimes', () => {
  it('the agent asks, is answered, and the ticket leaves needs input (screen and database)', async () => {
    const setup = await setUp(300);
    const { server, cr } = setup;
    await server.newSession(PANE, tuiCommand(cr.home, server.socket));
    const key = await pickedUp(setup, 'ship the release [approve]');

    await server.waitFor('agent', 'the agent to ask', (s) => s.includes(QUESTION));
    await server.waitFor(PANE, 'the ticket needing input', (s) =>
      rowOf(s, key).includes('needs input'),
    );
    await stateOf(setup, key, 'needs_input');

    await server.sendLiteral('agent', 'y');
    await server.sendKey('agent', 'Enter');
    await server.waitFor('agent', 'the answer taken', (s) => s.includes('answer: y'));
    await server.waitFor(PANE, 'the ticket back in progress', (s) =>
      rowOf(s, key).includes('in progress'),
    );
    await stateOf(setup, key, 'in_progress');
    const listed = await cr('tickets', 'list');
    expect(rowOf(listed.stdout, key)).toContain('in_progress');

    await server.sendLiteral(PANE, 'q');
    await server.waitFor(PANE, 'the exit', (s) => /^EXITED:0$/m.test(s));
  });

  it('a control room started while the agent already asks shows needs input', async () => {
    const setup = await setUp(300);
    const { server, cr } = setup;
    const key = await pickedUp(setup, 'drop the old table [approve]');
    await server.waitFor('agent', 'the agent to ask', (s) => s.includes(QUESTION));
    // Nobody watched the question come: the database still says in progress.
    expect((await showTicket(cr, key)).state).toBe('in_progress');

    await server.newSession(PANE, tuiCommand(cr.home, server.socket));
    await server.waitFor(PANE, 'the ticket needing input', (s) =>
      rowOf(s, key).includes('needs input'),
    );
    await stateOf(setup, key, 'needs_input');

    await server.sendLiteral(PANE, 'q');
    await server.waitFor(PANE, 'the exit', (s) => /^EXITED:0$/m.test(s));
  });

  it('a runtime that is gone says so in the list, on the page and in the CLI; the ticket stays', async () => {
    const setup = await setUp(300);
    const { server, cr } = setup;
    const key = await pickedUp(setup, 'rotate the keys');
    await server.newSession(PANE, tuiCommand(cr.home, server.socket));
    await server.waitFor(PANE, 'the ticket on its runtime', (s) =>
      /in progress\s+-\s+agent/.test(rowOf(s, key)),
    );
    expect(rowOf(await cr('tickets', 'list').then((r) => r.stdout), key)).toMatch(
      /in_progress\s+-\s+agent\s/,
    );

    await server.run(['kill-session', '-t', 'agent']);
    const gone = await server.waitFor(PANE, 'the runtime gone on the row', (s) =>
      rowOf(s, key).includes('gone: agent'),
    );
    // Not moved on its own: the work may be half done; the runtime is flagged instead.
    expect(rowOf(gone, key)).toContain('in progress');
    await server.sendKey(PANE, 'Enter');
    await server.waitFor(PANE, 'the page saying what to do', (s) =>
      s.replace(/\s+/g, ' ').includes('gone (closed, or its tmux server ended): pick the ticket'),
    );

    const listed = await cr('tickets', 'list');
    expect(listed.code, describeResult(listed)).toBe(0);
    expect(rowOf(listed.stdout, key)).toMatch(/in_progress\s+-\s+gone: agent\s/);
    const shown = await cr('tickets', 'show', key);
    expect(shown.stdout).toMatch(/^Runtime: +local:agent · gone \(closed/m);
    expect((await showTicket(cr, key)).state).toBe('in_progress');

    await server.sendLiteral(PANE, 'q');
    await server.waitFor(PANE, 'the exit', (s) => /^EXITED:0$/m.test(s));
  });
});
