import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeResult, fixture, homeCli, makeHome, runCli } from './helpers/cli.js';
import { reverseVideoLines, TmuxServer, tuiCommand } from './helpers/tmux.js';

/**
 * The TUI in real tmux, on a private server per test (`tmux -L cr-e2e-<random>`), 100x30, with
 * NO_COLOR=1: the selection shows as reverse video, which `capture-pane -e` reports.
 */

const PANE = 'tui';

let server: TmuxServer | undefined;

afterEach(async () => {
  await server?.kill();
  server = undefined;
});

function startServer(): TmuxServer {
  server = new TmuxServer();
  return server;
}

/** A ticket row starts with its key, after at most a narrow gutter (a selection mark). */
const ROW = /^\W{0,4}?([A-Z][A-Z0-9_]*-\d+) /;

function rowKey(line: string): string | undefined {
  return ROW.exec(line)?.[1];
}

function rowKeys(screen: string): string[] {
  return screen.split('\n').flatMap((line) => rowKey(line) ?? []);
}

const hasList = (screen: string) =>
  /^control-room {2}12 tickets · /m.test(screen) &&
  /^\W{0,4}KEY\s+SEV\s+STATE\s+OWNER\s+RUNTIME\s+AGE\s+TITLE/m.test(screen) &&
  rowKeys(screen).includes('OPS-106') &&
  rowKeys(screen).includes('CR-1');

/** The fixtures' tickets, newest first, as the list shows them. */
const FIRST_KEYS = [
  'OPS-106',
  'OPS-105',
  'OPS-104',
  'OPS-103',
  'OPS-102',
  'OPS-101',
  'CR-6',
  'CR-5',
  'CR-4',
  'CR-3',
  'CR-2',
  'CR-1',
];

const helpOpen = (screen: string) =>
  screen.includes('Navigation') && screen.includes('first ticket');

const SGR = /\x1b\[[0-9;:]*m/g;

/**
 * The selected ticket(s): rows in reverse video (how a no-colour theme selects) and rows with a
 * selection mark (`›` or `>`) in their gutter. Both signals must agree on one row.
 */
function selectedKeys(screenWithEscapes: string): string[] {
  const reversed = reverseVideoLines(screenWithEscapes).flatMap((line) => rowKey(line) ?? []);
  const marked = screenWithEscapes
    .replace(SGR, '')
    .split('\n')
    .filter((line) => /^\s*[›>]/.test(line))
    .flatMap((line) => rowKey(line) ?? []);
  return [...new Set([...reversed, ...marked])];
}

/** Whether exactly `keys` are selected; polled, so a frame caught half-drawn is read again. */
function selected(screenWithEscapes: string, keys: string[]): boolean {
  return selectedKeys(screenWithEscapes).join(',') === keys.join(',');
}

describe('the TUI in tmux', () => {
  it('shows the tickets, moves with j, opens help with ?, and quits with q', async () => {
    const cr = await homeCli();
    const imported = await cr('tickets', 'import', fixture('findings.md'), fixture('tickets.json'));
    expect(imported.code, describeResult(imported)).toBe(0);

    const tmux = startServer();
    await tmux.newSession(PANE, tuiCommand(cr.home, tmux.socket));

    const screen = await tmux.waitFor(PANE, 'the ticket list', hasList);
    expect(screen).toContain('9 todo · 0 in progress · 1 need input · 1 review · 1 done');
    expect(rowKeys(screen)).toEqual(FIRST_KEYS);
    expect(screen).toMatch(/j\/↓ move down/);
    // Reverse video marks the selection: the first row, and only it.
    await tmux.waitFor(PANE, 'the selection on the first row', (s) => selected(s, ['OPS-106']), {
      escapes: true,
    });

    await tmux.sendLiteral(PANE, 'j');
    const moved = await tmux.waitFor(
      PANE,
      'the selection on the second row',
      (s) => selected(s, ['OPS-105']),
      { escapes: true },
    );
    expect(hasList(moved.replace(SGR, ''))).toBe(true);

    await tmux.sendLiteral(PANE, '?');
    const help = await tmux.waitFor(PANE, 'the help overlay', helpOpen);
    expect(help).toMatch(/j\/↓ +move down/);
    expect(help).toMatch(/q\/Ctrl-c +quit/i);
    expect(help).toMatch(/Esc +close the overlay/);
    expect(rowKeys(help)).toEqual([]);

    await tmux.sendKey(PANE, 'Escape');
    const back = await tmux.waitFor(
      PANE,
      'the list again',
      (s) => !helpOpen(s) && selectedKeys(s).length > 0,
      { escapes: true },
    );
    // Closing the overlay keeps the selection where it was.
    await tmux.waitFor(PANE, 'the selection kept', (s) => selected(s, ['OPS-105']), {
      escapes: true,
    });
    expect(back).not.toContain('first ticket');
    // Frames are written incrementally: after moves and an overlay, every row is drawn once, in
    // its place (a writer that lands a line low shows rows twice and the title bar out of place).
    for (let i = 0; i < 5; i++) await tmux.sendLiteral(PANE, i % 2 === 0 ? 'j' : 'k');
    const settled = await tmux.waitFor(PANE, 'the moves drawn', (s) => selected(s, ['OPS-104']), {
      escapes: true,
    });
    const plain = settled.replace(SGR, '');
    expect(plain.split('\n')[0]).toMatch(/^control-room {2}12 tickets · /);
    expect(rowKeys(plain)).toEqual(FIRST_KEYS);

    await tmux.sendLiteral(PANE, 'q');
    const exited = await tmux.waitFor(PANE, 'the control room to exit', (s) =>
      /^EXITED:\d+$/m.test(s),
    );
    expect(exited).toMatch(/^EXITED:0$/m);
  });

  it('an empty store shows "No tickets yet", how to add some, and the demo', async () => {
    const home = await makeHome();
    const tmux = startServer();
    await tmux.newSession(PANE, tuiCommand(home, tmux.socket));

    const screen = await tmux.waitFor(PANE, 'the empty state', (s) => s.includes('No tickets yet'));
    expect(screen).toMatch(/^control-room {2}0 tickets · /m);
    expect(screen).toContain('control-room tickets import findings.md');
    // Tickets added elsewhere appear live (the next test): no restart is asked for.
    expect(screen).not.toMatch(/again/);
    expect(screen).toContain('They appear here as they are added.');
    expect(screen).toMatch(/try it out.*: control-room demo/);

    await tmux.sendLiteral(PANE, 'j');
    const notice = await tmux.waitFor(PANE, 'the notice that j needs tickets', (s) =>
      s.includes('move down: no tickets yet'),
    );
    expect(notice).toContain('No tickets yet');

    await tmux.sendLiteral(PANE, 'q');
    const exited = await tmux.waitFor(PANE, 'the control room to exit', (s) =>
      /^EXITED:\d+$/m.test(s),
    );
    expect(exited).toMatch(/^EXITED:0$/m);
  });

  it("shows another process's new ticket, and counts as a running dispatcher", async () => {
    const home = await makeHome();
    const tmux = startServer();
    await tmux.newSession(PANE, tuiCommand(home, tmux.socket));
    await tmux.waitFor(PANE, 'the empty state', (s) => s.includes('No tickets yet'));

    const added = await runCli(home, ['tickets', 'add', '--title', 'written by another process']);
    expect(added.code, describeResult(added)).toBe(0);
    const screen = await tmux.waitFor(PANE, 'the new ticket in the list', (s) =>
      s.includes('written by another process'),
    );
    expect(screen).toMatch(/^control-room {2}1 tickets · /m);

    const doctor = await runCli(home, ['--json', '--tmux-socket', tmux.socket, 'doctor']);
    const outbox = (
      JSON.parse(doctor.stdout) as { checks: { name: string; detail: string }[] }
    ).checks.find((c) => c.name === 'outbox');
    expect(outbox?.detail).toMatch(/\b1 dispatchers running/);

    await tmux.sendLiteral(PANE, 'q');
    await tmux.waitFor(PANE, 'the control room to exit', (s) => /^EXITED:0$/m.test(s));
    const after = await runCli(home, ['--json', '--tmux-socket', tmux.socket, 'doctor']);
    expect(after.stdout).toMatch(/0 dispatchers running/);
  });

  it("follows the config file's keys, and refuses a bad binding before it draws", async () => {
    const home = await makeHome();
    await writeFile(join(home, 'config.yaml'), 'keys:\n  list.down: [x]\n');
    const added = await runCli(home, ['tickets', 'add', '--title', 'first']);
    expect(added.code, describeResult(added)).toBe(0);
    await runCli(home, ['tickets', 'add', '--title', 'second']);
    const tmux = startServer();
    await tmux.newSession(PANE, tuiCommand(home, tmux.socket));
    await tmux.waitFor(PANE, 'the list', (s) => selected(s, ['CR-2']));
    await tmux.sendLiteral(PANE, 'x'); // x means nothing by default
    await tmux.waitFor(PANE, 'x moving down', (s) => selected(s, ['CR-1']));
    await tmux.sendLiteral(PANE, 'q');
    await tmux.waitFor(PANE, 'the exit', (s) => /^EXITED:0$/m.test(s));
    // "kk" is no key: the config is refused, with its line, and the screen never starts.
    await writeFile(join(home, 'config.yaml'), 'keys:\n  list.down: [x]\n  list.up: [kk]\n');
    await tmux.newSession('bad', tuiCommand(home, tmux.socket));
    await tmux.waitFor('bad', 'the refusal', (s) => /config\.yaml:3: keys\.list\.up/.test(s));
    await tmux.waitFor('bad', 'the exit', (s) => /^EXITED:1$/m.test(s));
  });

  it('without a terminal, the bare command exits 2 and says it needs one', async () => {
    const home = await makeHome();
    const result = await runCli(home, []);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('needs a terminal');
    expect(result.stdout).toBe('');
  });
});
