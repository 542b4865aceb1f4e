import { describe, expect, it } from 'vitest';
import { type BoundCli, describeResult } from './helpers/cli.js';
import { addTicket, showTicket } from './helpers/pickup-env.js';
import { type Setup, simOnTmux } from './helpers/sim-on-tmux.js';

/**
 * A retry that is really safe (issue 14, item 3): `outbox retry` of an unknown message that did
 * reach the agent types nothing, however many prompts followed it, and says how to type it
 * anyway (`--force`). The built CLI, the simulated agent on a private tmux server, a real
 * database; what the agent received from its prompt log.
 */

const { setUp } = simOnTmux();

const idle = (s: Setup) =>
  s.server.waitFor('agent', 'the agent idle', (screen) => screen.includes('enter to send'));

/**
 * A pickup whose outcome is unknown though its prompt went in: a send deadline shorter than the
 * pause before Enter leaves no time to confirm, so the driver reports post_send after typing.
 */
async function unknownPickup(s: Setup, id: string, title: string): Promise<string> {
  const key = await addTicket(s.cr, title);
  const sent = await s.cr(
    '--send-timeout',
    '100',
    'pickup',
    key,
    '--runtime',
    id,
    '--attempts',
    '1',
  );
  expect(sent.code, describeResult(sent)).toBe(4);
  const ticket = await showTicket(s.cr, key);
  expect(ticket.messages).toEqual([expect.objectContaining({ state: 'unknown' })]);
  await s.server.waitFor('agent', 'the prompt taken up', (screen) => screen.includes(title));
  await idle(s);
  return ticket.messages[0]?.id as string;
}

async function deliveredPickup(s: Setup, id: string, title: string): Promise<void> {
  const key = await addTicket(s.cr, title);
  const sent = await s.cr('pickup', key, '--runtime', id);
  expect(sent.code, describeResult(sent)).toBe(0);
  await s.server.waitFor('agent', 'the prompt done', (screen) =>
    screen.includes(`done: Ticket ${key}`),
  );
  await idle(s);
}

const times = async (s: Setup, text: string) =>
  (await s.prompts()).filter((p) => p.includes(text)).length;

async function messageState(cr: BoundCli, id: string): Promise<string | undefined> {
  const list = await cr('--json', 'outbox', 'list');
  return (JSON.parse(list.stdout) as { id: string; state: string }[]).find((m) => m.id === id)
    ?.state;
}

describe('outbox retry of an unknown message that reached the agent', () => {
  it('types nothing while the pane remembers its key, however many prompts followed; --force types it', async () => {
    const s = await setUp(200);
    const id = await s.startSim('agent');
    const lost = await unknownPickup(s, id, 'the upload loses its last chunk');
    await deliveredPickup(s, id, 'the cache never expires');
    await deliveredPickup(s, id, 'the report rounds twice');
    expect(await times(s, 'the upload loses its last chunk')).toBe(1);
    // Its text is off the screen and out of the history: only the pane's memory knows.
    await s.server.run(['send-keys', '-R', '-t', 'agent']);
    await s.server.run(['clear-history', '-t', 'agent']);

    const retried = await s.cr('outbox', 'retry', lost);
    expect(retried.code, describeResult(retried)).toBe(4);
    expect(retried.stderr).toContain('typed into agent before');
    expect(retried.stderr).toContain(`control-room outbox retry --force ${lost}`);
    expect(await times(s, 'the upload loses its last chunk')).toBe(1);
    expect(await messageState(s.cr, lost)).toBe('unknown');

    const forced = await s.cr('outbox', 'retry', '--force', lost);
    expect(forced.code, describeResult(forced)).toBe(0);
    await s.server.waitFor('agent', 'the forced prompt', (screen) =>
      screen.includes('the upload loses its last chunk'),
    );
    expect(await times(s, 'the upload loses its last chunk')).toBe(2);
    expect(await messageState(s.cr, lost)).toBe('delivered');
  });

  it('types nothing while its text shows in the pane, even when the pane forgot the key', async () => {
    const s = await setUp(200);
    const id = await s.startSim('agent');
    const lost = await unknownPickup(s, id, 'the mailer sends twice');
    await deliveredPickup(s, id, 'the login form forgets the user');
    // As a pane typed by a control room that died between the paste and remembering it.
    await s.server.run(['set-option', '-p', '-u', '-t', 'agent', '@cr_sent']);

    const retried = await s.cr('outbox', 'retry', lost);
    expect(retried.code, describeResult(retried)).toBe(4);
    expect(retried.stderr).toContain('its text shows in the pane');
    expect(await times(s, 'the mailer sends twice')).toBe(1);
    expect(await messageState(s.cr, lost)).toBe('unknown');

    // No trace left anywhere: then the retry types it (the one case it cannot tell).
    await s.server.run(['send-keys', '-R', '-t', 'agent']);
    await s.server.run(['clear-history', '-t', 'agent']);
    const again = await s.cr('outbox', 'retry', lost);
    expect(again.code, describeResult(again)).toBe(0);
    await s.server.waitFor('agent', 'the prompt again', (screen) =>
      screen.includes('the mailer sends twice'),
    );
    expect(await times(s, 'the mailer sends twice')).toBe(2);
  });
});
