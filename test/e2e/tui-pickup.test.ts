import { describe, expect, it } from 'vitest';
import { describeResult, parseJson } from './helpers/cli.js';
import { addTicket, type PickupTicket, showTicket, waitUntil } from './helpers/pickup-env.js';
import { simOnTmux } from './helpers/sim-on-tmux.js';
import { tuiCommand } from './helpers/tmux.js';

/**
 * The control room in a real tmux pane, picking a ticket up with p and Enter, and, as every
 * open control room does, delivering a message another process left waiting for a busy agent.
 */

const { setUp } = simOnTmux();
const PANE = 'tui';

const rowOf = (screen: string, key: string) =>
  screen.split('\n').find((line) => line.includes(key)) ?? '';

describe('the control room picks tickets up', () => {
  it('p, Enter: the ticket goes to the idle agent, never a shell or the control room; a waiting message is delivered when idle', async () => {
    // Long enough work that the second pickup surely meets a working agent, even on a slow box.
    const { server, cr, startSim, prompts } = await setUp(8000);
    const id = await startSim('agent');
    const first = await addTicket(cr, 'the cache forgets its first entry');
    const second = await addTicket(cr, 'the retry loop never backs off');

    // A pane whose program is a shell: listed, but never a target.
    await server.newSession('plain', ['sh']);
    await server.newSession(PANE, tuiCommand(cr.home, server.socket));
    await server.waitFor(PANE, 'the ticket list', (s) => s.includes(first) && s.includes(second));
    // The newest ticket is selected first: go down to the first one, then pick it up.
    await server.sendLiteral(PANE, 'j');
    await server.waitFor(PANE, 'the first ticket selected', (s) => /^\W*›/.test(rowOf(s, first)));
    await server.sendLiteral(PANE, 'p');
    // The idle agent is offered first once the monitor has seen it quiet (the list follows
    // runtimes; before that it is listed with the busy ones, after the idle ones).
    const chooser = await server.waitFor(
      PANE,
      'the chooser offering the idle agent',
      (s) =>
        s.includes(`Pick ${first} up`) &&
        /^\W*›.*local:agent/m.test(s) &&
        s.includes('local:plain'),
    );
    expect(rowOf(chooser, 'local:agent')).not.toContain('·');
    expect(chooser).toMatch(/local:plain .*— runs sh, a shell: start an agent there first\s*$/m);
    expect(chooser).not.toContain(`local:${PANE}`); // the control room's own pane
    await server.sendKey(PANE, 'Enter');
    const delivered = await server.waitFor(PANE, 'the delivery on the row', (s) =>
      // In progress as soon as the dispatcher says delivered; "sending…" ends a moment later.
      /in progress\s+-\s+agent/.test(rowOf(s, first)),
    );
    expect(rowOf(delivered, first)).not.toContain('sending');
    await waitUntil('the prompt typed', async () =>
      (await prompts()).some((t) => t.includes('cache forgets')) ? true : undefined,
    );

    // While the agent works on the first ticket, another process picks the second one up:
    // busy with another ticket, so it queues behind it (the first keeps the agent).
    await server.waitFor('agent', 'the agent working', (s) => s.includes('esc to interrupt'));
    const queued = await cr('--json', 'pickup', second, '--runtime', id);
    expect(queued.code, describeResult(queued)).toBe(3);
    expect(parseJson<PickupTicket>(queued).runtime).toBeNull();
    // The open control room saw the change and, once the agent is idle, delivers it: once.
    await server.waitFor(PANE, 'the queue on the row', (s) =>
      rowOf(s, second).includes(`queued on agent after ${first}`),
    );
    const done = await waitUntil(
      'the waiting message delivered by the control room',
      async () => {
        const t = await showTicket(cr, second);
        return t.messages[0]?.state === 'delivered' ? t : undefined;
      },
      30_000,
    );
    expect(done.runtime).toMatchObject({ id, adopted: false });
    // The first ticket let the agent go, and its row says so no more.
    await server.waitFor(
      PANE,
      'the first ticket unbound',
      (s) => !rowOf(s, first).includes('agent'),
    );
    expect((await showTicket(cr, first)).runtime).toBeNull();
    await waitUntil('the second prompt typed', async () =>
      (await prompts()).some((t) => t.includes('never backs off')) ? true : undefined,
    );
    expect((await prompts()).filter((t) => t.includes('never backs off'))).toHaveLength(1);

    await server.sendLiteral(PANE, 'q');
    const exited = await server.waitFor(PANE, 'the exit', (s) => /^EXITED:\d+$/m.test(s));
    expect(exited).toMatch(/^EXITED:0$/m);
  });
});
