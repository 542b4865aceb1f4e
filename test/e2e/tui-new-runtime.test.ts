import { describe, expect, it } from 'vitest';
import { addTicket, showTicket, waitUntil } from './helpers/pickup-env.js';
import { simOnTmux } from './helpers/sim-on-tmux.js';
import { selectChoice, tuiCommand } from './helpers/tmux.js';

/**
 * A runtime started from the control room's pickup chooser ("new runtime: PROFILE") gets the
 * operator's terminal size: the columns and rows of the pane the control room runs in.
 */

const { setUp } = simOnTmux();
const PANE = 'tui';
const SIZE = { width: 100, height: 30 };

describe('a runtime started from the control room', () => {
  it('is the size of the terminal the control room runs in', { timeout: 180_000 }, async () => {
    const { server, cr } = await setUp(500);
    const key = await addTicket(cr, 'the size of a new runtime');

    await server.newSession(PANE, tuiCommand(cr.home, server.socket), SIZE);
    await server.waitFor(PANE, 'the ticket list', (s) => s.includes(key));
    await server.sendLiteral(PANE, 'p');
    await server.waitFor(PANE, 'the chooser', (s) => s.includes(`Pick ${key} up`));
    await selectChoice(server, PANE, 'new runtime: sim');
    await server.sendKey(PANE, 'Enter');

    // A new runtime starts its agent and waits for it to be ready: slow on a loaded machine.
    const ticket = await waitUntil(
      'the ticket on its new runtime',
      async () => {
        const t = await showTicket(cr, key);
        const message = t.messages[0];
        if (message?.state === 'failed' || message?.state === 'unknown') {
          throw new Error(`the pickup ended ${message.state}: ${JSON.stringify(t)}`);
        }
        return message?.state === 'delivered' ? t : undefined;
      },
      90_000,
    );
    const session = ticket.runtime?.name ?? '';
    expect(session).not.toBe('');
    const size = await server.run([
      'display-message',
      '-p',
      '-t',
      `=${session}:`,
      '#{window_width}x#{window_height}',
    ]);
    expect(size.trim()).toBe(`${SIZE.width}x${SIZE.height}`);
  });
});
