import { afterEach, describe, expect, it } from 'vitest';
import { describeResult, homeCli } from './helpers/cli.js';
import { reverseVideoLines, TmuxServer, tuiCommand } from './helpers/tmux.js';

/**
 * Keys that arrive in one read, as they do over SSH and when pasting: the built control room in
 * real tmux (a private server per test), keys sent several at once with `send-keys -l` and
 * `send-keys -H`, and a paste through tmux's own `paste-buffer -p` (bracketed, as a terminal
 * pastes when the program asked for it).
 */

const PANE = 'tui';

let server: TmuxServer | undefined;

afterEach(async () => {
  await server?.kill();
  server = undefined;
});

/** The selected ticket's title: in the reverse-video row (how a no-colour theme selects). */
function selectedTitle(screenWithEscapes: string): string | undefined {
  const [row] = reverseVideoLines(screenWithEscapes);
  return row ? /(ticket \d+)/.exec(row)?.[1] : undefined;
}

/** The last non-empty line: the footer, where the command line and notices are. */
function footer(screen: string): string {
  return screen.trimEnd().split('\n').at(-1) ?? '';
}

describe('keys of one read in the TUI', () => {
  it('counts every key of a chunk: moves, Unicode, two Backspaces, p and Tab, a paste', async () => {
    const cr = await homeCli();
    for (let n = 1; n <= 6; n++) {
      const added = await cr('tickets', 'add', '--title', `ticket ${n}`);
      expect(added.code, describeResult(added)).toBe(0);
    }
    server = new TmuxServer();
    const tmux = server;
    await tmux.newSession(PANE, tuiCommand(cr.home, tmux.socket));
    // Newest first: ticket 6 on top.
    await tmux.waitFor(PANE, 'the first row selected', (s) => selectedTitle(s) === 'ticket 6', {
      escapes: true,
    });

    // Three moves in one write: three rows down.
    await tmux.sendLiteral(PANE, 'jjj');
    await tmux.waitFor(PANE, 'the fourth row selected', (s) => selectedTitle(s) === 'ticket 3', {
      escapes: true,
    });

    // The filter takes Unicode typed at once, and two Backspaces of one write delete two.
    await tmux.sendLiteral(PANE, '/cache日本é👍');
    await tmux.waitFor(PANE, 'the Unicode filter', (s) => s.includes('/cache日本é👍▏'));
    await tmux.run(['send-keys', '-t', PANE, '-H', '7f', '7f']);
    await tmux.waitFor(PANE, 'two characters deleted', (s) => s.includes('/cache日本▏'));
    await tmux.sendKey(PANE, 'Escape');
    await tmux.waitFor(PANE, 'the filter cleared', (s) => !s.includes('/cache'));

    // `:`, p and Tab in one write: the command line completes p to pickup.
    await tmux.sendLiteral(PANE, ':p\t');
    await tmux.waitFor(PANE, 'pickup completed', (s) => footer(s).startsWith(':pickup▏'));
    await tmux.sendKey(PANE, 'Escape');
    await tmux.waitFor(PANE, 'the command line closed', (s) => !s.includes(':pickup'));

    // A two-line paste into the command line is typed whole, as one line, and runs nothing.
    await tmux.sendLiteral(PANE, ':');
    await tmux.waitFor(PANE, 'the command line', (s) => footer(s).startsWith(':▏'));
    await tmux.run(['set-buffer', '-b', 'paste', 'them\ne 日本']);
    await tmux.run(['paste-buffer', '-p', '-b', 'paste', '-t', PANE]);
    await tmux.waitFor(PANE, 'the paste typed', (s) => footer(s).startsWith(':them e 日本▏'));
    await tmux.sendKey(PANE, 'Escape');
    await tmux.waitFor(PANE, 'the command line closed', (s) => !s.includes(':them'));

    await tmux.sendLiteral(PANE, 'q');
    const exited = await tmux.waitFor(PANE, 'the control room to exit', (s) =>
      /^EXITED:\d+$/m.test(s),
    );
    expect(exited).toMatch(/^EXITED:0$/m);
  });
});
