import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitUntil } from './helpers/pickup-env.js';
import {
  footerOf,
  inputLineOf,
  rowOf,
  selected,
  selectRow,
  TUI,
  watchWorld,
} from './helpers/watch-env.js';

/**
 * Watch, attach, insert, record and --readonly through the built CLI, in real tmux: the control
 * room runs in a pane of a private "terminal" server; the simulated agents it watches run on a
 * second private server (`--tmux-socket`). Keys reach the control room as an operator's would
 * (send-keys into its pane); what the agents got is read off their own panes.
 */

const { setUp } = watchWorld();

const READONLY = 'read-only (--readonly): this control room only watches';

describe('watching a runtime', () => {
  it('control-room watch local:NAME shows what the agent prints, as it prints it', async () => {
    const { agents, terminal, startAgent, openTui, prompt } = await setUp({ workMs: 400 });
    await startAgent('watched');
    // A terminal taller than the runtime's pane (200x50): the whole of its screen fits.
    await openTui({ height: 60 }, 'watch', 'local:watched');
    // Straight to the console: its title, and the agent's banner.
    await terminal.waitFor(
      TUI,
      'the console of watched',
      (s) => s.includes('watched on local') && s.includes('sim-agent ready'),
    );
    await prompt('watched', 'paint the zebra crossing');
    await agents.waitFor('watched', 'the job done', (s) =>
      s.includes('done: paint the zebra crossing'),
    );
    // What the agent printed after the control room opened reaches its pane.
    const shown = await terminal.waitFor(TUI, 'the job in the watch', (s) =>
      s.includes('done: paint the zebra crossing'),
    );
    expect(shown).toContain('› paint the zebra crossing');
    expect(shown).toContain('step 3 of 3… running checks');
    expect(rowOf(shown, 'watched on local')).toContain('live');
  });

  // A terminal shorter than the runtime's pane (the default 200x50 of `runtimes new` in a 32-row
  // terminal): the agent prints at the top and keeps its status and input line at the bottom,
  // with blank rows between; both must show (PgUp cannot help: the tmux history is empty while
  // the agent's output region has not scrolled).
  it('in a shorter terminal, what the agent prints can be seen, live or with PgUp', async () => {
    const { agents, terminal, startAgent, openTui, prompt } = await setUp({ workMs: 400 });
    await startAgent('watched');
    await openTui({ height: 32 }, 'watch', 'local:watched');
    await terminal.waitFor(TUI, 'the console of watched', (s) =>
      s.includes('watched on local · 200×50'),
    );
    await prompt('watched', 'paint the zebra crossing');
    await agents.waitFor('watched', 'the job done', (s) =>
      s.includes('done: paint the zebra crossing'),
    );
    // The agent's output region has not scrolled: tmux has no history for PgUp to go back to.
    const history = (
      await agents.run(['display-message', '-p', '-t', 'watched', '#{history_size}'])
    ).trim();
    await terminal.sendKey(TUI, 'PageUp');
    await terminal.waitFor(
      TUI,
      `the job in the watch (the pane's history_size is ${history})`,
      (s) => s.includes('done: paint the zebra crossing'),
      { timeoutMs: 8000 },
    );
  });
});

describe('attaching from the watch', () => {
  // The detach key as each kind of terminal sends it (src/adapters/pty/detach-key.ts).
  it.each([
    ['raw 0x1d', ['1d']],
    ['CSI u (ESC [ 93 ; 5 u)', ['1b', '5b', '39', '33', '3b', '35', '75']],
    [
      'modifyOtherKeys (ESC [ 27 ; 5 ; 93 ~)',
      ['1b', '5b', '32', '37', '3b', '35', '3b', '39', '33', '7e'],
    ],
  ])(
    'a attaches, typing reaches the agent, Ctrl-] as %s comes back to the watch',
    async (_form, hex) => {
      const { agents, terminal, startAgent, openTui, clientsOf } = await setUp();
      await startAgent('agent');
      await openTui({});
      await terminal.sendLiteral(TUI, 'r');
      await selectRow(terminal, 'agent');
      await terminal.sendLiteral(TUI, 'w');
      await terminal.waitFor(TUI, 'the watch', (s) => s.includes('agent on local'));
      await terminal.sendLiteral(TUI, 'a');
      // Attached: a client of the agents' server now runs in the control room's pane.
      await waitUntil('a client attached to the agent', async () =>
        (await clientsOf('agent')).length === 1 ? true : undefined,
      );
      await terminal.waitFor(TUI, "the agent's own screen", (s) => s.includes('enter to send'));
      await terminal.sendLiteral(TUI, 'hello');
      await agents.waitFor('agent', 'hello typed into the agent', (s) =>
        inputLineOf(s).includes('hello'),
      );
      await terminal.run(['send-keys', '-t', TUI, '-H', ...hex]);
      const back = await terminal.waitFor(TUI, 'the watch again, detached', (s) =>
        s.includes('detached from agent'),
      );
      expect(back).toContain('agent on local');
      expect(footerOf(back)).toContain('detached from agent (Ctrl-])');
      // The runtime runs on, with no client left on it; nothing of the key reached the agent.
      await agents.run(['has-session', '-t', '=agent']);
      await waitUntil('no client left on the agent', async () =>
        (await clientsOf('agent')).length === 0 ? true : undefined,
      );
      expect(inputLineOf(await agents.capture('agent'))).toBe('hello');
      // And the control room is itself again: Esc goes back to the runtimes table.
      await terminal.sendKey(TUI, 'Escape');
      await terminal.waitFor(TUI, 'the runtimes table', (s) => selected(s, 'agent'));
    },
  );
});

describe('typing into a runtime', () => {
  it('i, y, Enter answers an agent asking for approval', async () => {
    const { agents, terminal, startAgent, openTui, prompt } = await setUp({ workMs: 300 });
    await startAgent('idler');
    await startAgent('asker', 'sim-asks');
    await prompt('asker', 'run the tests');
    await agents.waitFor('asker', 'the question', (s) =>
      s.includes('Allow command "npm test"? (y/n)'),
    );
    await openTui({});
    await terminal.sendLiteral(TUI, 'r');
    await terminal.waitFor(TUI, 'both runtimes', (s) => s.includes('idler') && s.includes('asker'));
    await selectRow(terminal, 'asker');
    await terminal.sendLiteral(TUI, 'i');
    await terminal.waitFor(TUI, 'the insert line', (s) => s.includes('type into asker:'));
    await terminal.sendLiteral(TUI, 'y');
    await terminal.waitFor(TUI, 'y on the insert line', (s) => s.includes('type into asker: y'));
    await terminal.sendKey(TUI, 'Enter');
    await agents.waitFor('asker', 'the answer', (s) => s.includes('answer: y (allowed)'));
    // The line empties for the next one (the footer is the line while it is open); Esc closes it.
    await terminal.waitFor(TUI, 'the line emptied', (s) => s.includes('type into asker: ▏'));
    await terminal.sendKey(TUI, 'Escape');
    await terminal.waitFor(TUI, 'the line closed', (s) => !s.includes('type into asker'));
    // The y went to the asker alone, as a key: it answered, and its input line is empty.
    expect(inputLineOf(await agents.capture('asker'))).toBe('');
    expect(inputLineOf(await agents.capture('idler'))).toBe('');
  });
});

describe('recording a runtime', () => {
  it('r twice writes an asciicast v2 file of what the agent printed meanwhile', async () => {
    const { agents, terminal, cr, startAgent, openTui, prompt } = await setUp({ workMs: 600 });
    await startAgent('recorded');
    await openTui({});
    await terminal.sendLiteral(TUI, 'r');
    await selectRow(terminal, 'recorded');
    await terminal.sendLiteral(TUI, 'r');
    await terminal.waitFor(TUI, 'the recording started', (s) =>
      s.includes('recording recorded to'),
    );
    await prompt('recorded', 'count the sheep');
    await agents.waitFor('recorded', 'the job done', (s) => s.includes('done: count the sheep'));
    await terminal.sendLiteral(TUI, 'r');
    await terminal.waitFor(TUI, 'the recording stopped', (s) =>
      s.includes('stopped recording recorded'),
    );

    const folder = join(cr.home, 'recordings');
    const files = (await readdir(folder)).filter((f) => f.endsWith('.cast'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^recorded-\d{8}-\d{6}\.cast$/);
    const lines = (await readFile(join(folder, files[0] as string), 'utf8'))
      .split('\n')
      .filter(Boolean);
    const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(header.version).toBe(2);
    expect(Number.isInteger(header.width) && (header.width as number) > 0).toBe(true);
    expect(Number.isInteger(header.height) && (header.height as number) > 0).toBe(true);
    const events = lines.slice(1).map((line) => JSON.parse(line) as unknown);
    expect(events.length).toBeGreaterThan(0);
    let last = 0;
    let output = '';
    for (const event of events) {
      expect(Array.isArray(event) && event.length === 3).toBe(true);
      const [t, code, text] = event as [unknown, unknown, unknown];
      expect(typeof t).toBe('number');
      expect(t as number).toBeGreaterThanOrEqual(last);
      expect(code).toBe('o');
      expect(typeof text).toBe('string');
      last = t as number;
      output += text as string;
    }
    // What the agent printed while it was recorded, escape sequences and all.
    expect(output).toContain('› count the sheep');
    expect(output).toContain('step 1 of 3');
    expect(output).toContain('done: count the sheep');
  });
});

describe('--readonly', () => {
  it('i and a on a runtime say why not, and nothing reaches the agent', async () => {
    const { agents, terminal, startAgent, openTui, prompts, clientsOf } = await setUp();
    await startAgent('guarded');
    await openTui({}, '--readonly');
    await terminal.sendLiteral(TUI, 'r');
    await selectRow(terminal, 'guarded');
    await terminal.sendLiteral(TUI, 'i');
    await terminal.waitFor(TUI, 'i refused', (s) =>
      footerOf(s).includes(`type a line into it: ${READONLY}`),
    );
    // Keys after the refusal are the control room's own: y is nothing, Enter watches.
    await terminal.sendLiteral(TUI, 'y');
    await terminal.sendKey(TUI, 'Enter');
    await terminal.waitFor(TUI, 'the watch', (s) => s.includes('guarded on local'));
    await terminal.sendKey(TUI, 'Enter');
    await terminal.waitFor(TUI, 'Enter refused', (s) =>
      footerOf(s).includes(`attach: ${READONLY}`),
    );
    await terminal.sendKey(TUI, 'Escape');
    await terminal.waitFor(TUI, 'the runtimes table', (s) => selected(s, 'guarded'));
    await terminal.sendLiteral(TUI, 'a');
    await terminal.waitFor(TUI, 'a refused', (s) => footerOf(s).includes(`attach: ${READONLY}`));
    // A mark typed into the agent's own pane now comes after anything the control room sent.
    await agents.sendLiteral('guarded', 'MARK');
    const screen = await agents.waitFor('guarded', 'the mark', (s) => s.includes('MARK'));
    expect(inputLineOf(screen)).toBe('MARK');
    expect(await clientsOf('guarded')).toEqual([]);
    expect(await prompts()).toEqual([]);
    // Still running, not quit by a stray key.
    expect(footerOf(await terminal.capture(TUI))).not.toMatch(/^EXITED/);
  });

  it('control-room --readonly attach refuses, and says how to watch instead', async () => {
    const { terminal, startAgent, openTui, clientsOf } = await setUp();
    await startAgent('guarded');
    await openTui({}, '--readonly', 'attach', 'local:guarded');
    const screen = await terminal.waitFor(TUI, 'the exit', (s) => /^EXITED:\d+$/m.test(s));
    expect(screen).toContain(`attach: ${READONLY}`);
    expect(screen).toContain('control-room --readonly watch local:guarded');
    expect(screen).not.toMatch(/^EXITED:0$/m);
    expect(await clientsOf('guarded')).toEqual([]);
  });
});
