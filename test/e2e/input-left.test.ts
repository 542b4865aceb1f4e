import { describe, expect, it } from 'vitest';
import { describeResult, parseJson } from './helpers/cli.js';
import { addTicket, type PickupTicket, showTicket } from './helpers/pickup-env.js';
import { simOnTmux } from './helpers/sim-on-tmux.js';

/**
 * Text left in an agent's input line through the built CLI, on a private tmux server with the
 * simulated agent: the text is typed without Enter (`send-keys -l`, as a send cut off before its
 * Enter leaves it). A pickup types nothing and says so; `runtimes list` shows `input not empty`;
 * `runtimes input clear|submit` settle it. What the agent was submitted is read from its log.
 */

const { setUp } = simOnTmux();
const LEFT = 'LEFTOVER text of a send that never pressed Enter';

describe('text left in an input line, through the CLI', () => {
  it('refuses a pickup (exit 4, back to todo), shows it in runtimes list, and clears it', async () => {
    const { server, cr, startSim, prompts } = await setUp(300);
    const id = await startSim('left-one');
    await server.sendLiteral('left-one', LEFT);
    await server.waitFor('left-one', 'the text in the input line', (s) => s.includes(LEFT));
    const key = await addTicket(cr, 'the uploader retries forever');

    const picked = await cr('pickup', key, '--runtime', id);
    expect(picked.code, describeResult(picked)).toBe(4);
    expect(picked.stderr).toContain('input_not_empty from local: left-one has text left');
    expect(picked.stderr).toContain('runtimes input submit|clear NAME');
    const ticket = await showTicket(cr, key);
    expect(ticket.state).toBe('todo');
    expect(ticket.runtime).toBeNull();
    expect(ticket.lastError).toMatchObject({ kind: 'input_not_empty', host: 'local' });
    expect(await prompts()).toEqual([]);

    const listed = await cr('runtimes', 'list');
    expect(listed.code, describeResult(listed)).toBe(0);
    expect(listed.stdout).toMatch(/left-one +sim +input not empty/);
    const json = parseJson<{ id: string; input: string }[]>(await cr('--json', 'runtimes', 'list'));
    expect(json.find((r) => r.id === id)).toMatchObject({ input: 'text' });

    const cleared = await cr('--json', 'runtimes', 'input', 'clear', 'left-one');
    expect(cleared.code, describeResult(cleared)).toBe(0);
    expect(parseJson<{ text: string; action: string }>(cleared)).toMatchObject({
      action: 'clear',
      text: LEFT,
      message: null,
    });
    await server.waitFor('left-one', 'the input line empty', (s) => !s.includes(LEFT));

    const again = await cr('--json', 'pickup', key, '--runtime', id);
    expect(again.code, describeResult(again)).toBe(0);
    expect(parseJson<PickupTicket>(again).state).toBe('in_progress');
    const typed = await prompts();
    expect(typed).toHaveLength(1);
    expect(typed[0]).toContain('the uploader retries forever');
    expect(typed[0]).not.toContain('LEFTOVER');
  });

  it('submits it alone on `runtimes input submit`, and refuses a second submit', async () => {
    const { server, cr, startSim, prompts } = await setUp(300);
    await startSim('left-two');
    await server.sendLiteral('left-two', LEFT);
    await server.waitFor('left-two', 'the text in the input line', (s) => s.includes(LEFT));

    const submitted = await cr('runtimes', 'input', 'submit', 'local:left-two');
    expect(submitted.code, describeResult(submitted)).toBe(0);
    expect(submitted.stdout).toContain('submitted the input line of local:left-two');
    expect(await prompts()).toEqual([LEFT]);

    const none = await cr('runtimes', 'input', 'submit', 'left-two');
    expect(none.code, describeResult(none)).toBe(1);
    expect(none.stderr).toMatch(/working|is empty: nothing was submitted/);
  });
});
