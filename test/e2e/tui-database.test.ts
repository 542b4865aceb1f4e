import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UNPRIVILEGED, unprivilegedCli, writeLockedCli } from './helpers/damage.js';
import { TmuxServer, tuiCommand } from './helpers/tmux.js';

/**
 * The control room on a database it cannot write, in real tmux. Read-only: it opens watch-only
 * and says so in its footer; nothing is printed over its frame, and it keeps running. Locked by
 * another process past the busy timeout: it gives the terminal back, then says so, and ends.
 */

const PANE = 'tui';
let server: TmuxServer | undefined;

afterEach(async () => {
  await server?.kill();
  server = undefined;
});

describe('a read-only database', () => {
  it('the control room opens watch-only, with a notice in its frame', async () => {
    const cr = await unprivilegedCli();
    expect((await cr('tickets', 'add', '--title', 'written before')).code).toBe(0);
    const file = join(cr.home, 'control-room.db');
    await chmod(file, 0o400);
    server = new TmuxServer();
    await server.newSession(PANE, [...UNPRIVILEGED, ...tuiCommand(cr.home, server.socket)]);

    const screen = await server.waitFor(PANE, 'the list and the notice', (s) =>
      s.includes('read-only, so this control room only watches'),
    );
    expect(screen).toMatch(/^control-room {2}1 tickets · /m);
    expect(screen).toContain('written before');
    expect(screen).not.toContain('control-room: '); // nothing said on stderr over the frame
    expect(screen).not.toMatch(/^EXITED:/m);

    // Watch-only: a pickup is refused in the screen, not tried against the file.
    await server.sendLiteral(PANE, 'p');
    await server.waitFor(PANE, 'the refusal', (s) => s.includes('pick it up: read-only'));
    await server.sendLiteral(PANE, 'q');
    const after = await server.waitFor(PANE, 'the exit', (s) => /^EXITED:\d+$/m.test(s));
    expect(after).toMatch(/^EXITED:0$/m);
    expect(after).not.toContain('control-room: ');
  });
});

describe('a database another process holds the write lock of', () => {
  it('the control room gives the terminal back and says so, instead of hanging', async () => {
    const cr = await writeLockedCli();
    server = new TmuxServer();
    const [env, ...rest] = tuiCommand(cr.home, server.socket);
    await server.newSession(PANE, [env as string, 'CONTROL_ROOM_DB_BUSY_TIMEOUT_MS=300', ...rest]);

    const screen = await server.waitFor(PANE, 'the exit', (s) => /^EXITED:\d+$/m.test(s));
    expect(screen).toMatch(/^EXITED:1$/m);
    expect(screen).toContain('the database is locked by another process');
  });
});
