import { describe, expect, it } from 'vitest';
import { homeCli } from './helpers/cli.js';
import {
  addTicket,
  faultHost,
  HOST,
  runtimeObject,
  sendsSeen,
  showTicket,
} from './helpers/pickup-env.js';
import { TmuxServer, tuiCommand } from './helpers/tmux.js';

/**
 * A host that refuses the send: the control room, in a real tmux pane, offers the host's idle
 * runtime, sends to it, and shows the failure's kind and status on the row, and as a
 * notification; the ticket goes back to todo and is never shown as delivered.
 */

const PANE = 'tui';
const rowOf = (screen: string, key: string) =>
  screen.split('\n').find((line) => line.includes(key)) ?? '';

describe('a failing host in the control room', () => {
  it("shows a 403's kind on the row, and the ticket back in todo", async () => {
    const cr = await homeCli();
    const host = await faultHost(cr);
    host.fault = (req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/v1/runtimes') {
        res.end(JSON.stringify({ runtimes: [runtimeObject('rt_7')] }));
      } else if (req.method === 'POST' && req.url === '/v1/runtimes/rt_7/send') {
        res
          .writeHead(403)
          .end(JSON.stringify({ error: { code: 'forbidden', message: 'token lacks send scope' } }));
      } else res.writeHead(404).end(JSON.stringify({ error: { code: 'nope', message: 'no' } }));
    };
    const key = await addTicket(cr, 'the importer drops every other row');
    const tmux = new TmuxServer();
    try {
      await tmux.newSession(PANE, tuiCommand(cr.home, tmux.socket), { width: 120, height: 30 });
      await tmux.waitFor(
        PANE,
        'the ticket and the host reached',
        (s) => s.includes(key) && s.includes(`${HOST} ✓`),
      );
      await tmux.sendLiteral(PANE, 'p');
      await tmux.waitFor(PANE, "the host's runtime offered", (s) => /^\W*›.*bb:sess-rt_7/m.test(s));
      await tmux.sendKey(PANE, 'Enter');
      const failed = await tmux.waitFor(PANE, 'the failure on the row', (s) =>
        rowOf(s, key).includes('✗ auth 403'),
      );
      expect(rowOf(failed, key)).toContain('todo');
      expect(failed).toContain('token lacks send scope');
      expect(sendsSeen(host)).toHaveLength(1); // auth is never retried
      const ticket = await showTicket(cr, key);
      expect(ticket).toMatchObject({ state: 'todo', runtime: null });
      expect(ticket.lastError).toMatchObject({ kind: 'auth', status: 403, host: HOST });
      await tmux.sendLiteral(PANE, 'q');
      await tmux.waitFor(PANE, 'the exit', (s) => /^EXITED:0$/m.test(s));
    } finally {
      await tmux.kill();
    }
  });
});
