import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../integration/helpers/fault-server.js';
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

/** A host that lists one idle runtime `id` and answers its sends with `send` (else 404). */
function hostOf(id: string, send?: Fault): Fault {
  return (req, res, seen) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && req.url === '/v1/runtimes') {
      res.end(JSON.stringify({ runtimes: [runtimeObject(id)] }));
    } else if (send && req.method === 'POST' && req.url === `/v1/runtimes/${id}/send`) {
      send(req, res, seen);
    } else res.writeHead(404).end(JSON.stringify({ error: { code: 'nope', message: 'no' } }));
  };
}

describe('a failing host in the control room', () => {
  it("shows a 403's kind on the row, and the ticket back in todo", async () => {
    const cr = await homeCli();
    const host = await faultHost(cr);
    host.fault = hostOf('rt_7', (_req, res) => {
      res
        .writeHead(403)
        .end(JSON.stringify({ error: { code: 'forbidden', message: 'token lacks send scope' } }));
    });
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

  it('shows the runtimes of a host that stopped answering with its failure, never as targets', async () => {
    const cr = await homeCli();
    const host = await faultHost(cr);
    host.fault = hostOf('rt_7');
    const key = await addTicket(cr, 'the exporter forgets the header');
    // One profile whose program is there (`true`), so the chooser has a line that can work.
    await writeFile(
      join(cr.home, 'config.yaml'),
      JSON.stringify({ profiles: { agent: { command: ['true'] } } }),
    );
    const tmux = new TmuxServer();
    try {
      await tmux.newSession(PANE, tuiCommand(cr.home, tmux.socket), { width: 120, height: 30 });
      await tmux.waitFor(
        PANE,
        'the host reached',
        (s) => s.includes(key) && s.includes(`${HOST} ✓`),
      );
      // The host stops answering: its port refuses every connection from now on.
      await host.close();
      await tmux.waitFor(PANE, 'the failure in the status bar', (s) => s.includes(`${HOST} ✗`));

      await tmux.sendLiteral(PANE, 'r');
      const table = await tmux.waitFor(PANE, "the runtime with its host's failure", (s) =>
        rowOf(s, 'sess-rt_7').includes('✗ host fails'),
      );
      expect(rowOf(table, 'sess-rt_7')).toContain(`${HOST} fails:`);
      expect(rowOf(table, 'sess-rt_7')).not.toMatch(/\bidle\b/);

      await tmux.sendKey(PANE, 'Escape');
      await tmux.waitFor(PANE, 'the tickets again', (s) => rowOf(s, key).includes('todo'));
      await tmux.sendLiteral(PANE, 'p');
      const chooser = await tmux.waitFor(PANE, 'the chooser', (s) => s.includes(`Pick ${key} up`));
      // Listed, with the failure, and the cursor not on it: it opens on the agent that can work.
      const offered = rowOf(chooser, `${HOST}:sess-rt_7`);
      expect(offered).toContain(`host ${HOST} fails`);
      expect(offered).not.toContain('›');
      expect(rowOf(chooser, 'new runtime: agent')).toContain('›');
      // The cursor passes over it, however far it is moved.
      for (let i = 0; i < 4; i++) await tmux.sendKey(PANE, 'Down');
      for (let i = 0; i < 4; i++) await tmux.sendKey(PANE, 'Up');
      await tmux.sendKey(PANE, 'Down');
      const moved = await tmux.waitFor(PANE, 'the cursor moved', (s) =>
        s.includes(`Pick ${key} up`),
      );
      expect(rowOf(moved, `${HOST}:sess-rt_7`)).not.toContain('›');
      await tmux.sendKey(PANE, 'Escape');
      expect((await showTicket(cr, key)).state).toBe('todo');
      expect(sendsSeen(host)).toHaveLength(0);
    } finally {
      await tmux.kill();
    }
  });

  it('shows a host added from another terminal without a restart', async () => {
    const cr = await homeCli();
    const key = await addTicket(cr, 'the scheduler skips leap days');
    const tmux = new TmuxServer();
    try {
      await tmux.newSession(PANE, tuiCommand(cr.home, tmux.socket), { width: 120, height: 30 });
      await tmux.waitFor(PANE, 'the ticket', (s) => s.includes(key));
      const host = await faultHost(cr);
      host.fault = hostOf('rt_9');
      await tmux.waitFor(PANE, 'the new host reached', (s) => s.includes(`${HOST} ✓`));
      await tmux.sendLiteral(PANE, 'p');
      await tmux.waitFor(PANE, "the new host's runtime offered", (s) =>
        s.includes(`${HOST}:sess-rt_9`),
      );
      await tmux.sendKey(PANE, 'Escape');
      await tmux.sendLiteral(PANE, 'q');
      await tmux.waitFor(PANE, 'the exit', (s) => /^EXITED:0$/m.test(s));
    } finally {
      await tmux.kill();
    }
  });
});
