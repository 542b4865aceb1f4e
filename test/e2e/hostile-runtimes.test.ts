import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sanitizeLine } from '../../src/domain/index.js';
import { apiError, type Fault, json } from '../integration/helpers/fault-server.js';
import { type CliResult, describeResult, homeCli, parseJson } from './helpers/cli.js';
import { addTicket, faultHost, HOST, showTicket } from './helpers/pickup-env.js';
import { simOnTmux } from './helpers/sim-on-tmux.js';
import { cliOnPrivateTmux } from './helpers/tmux.js';

/**
 * Text from runtimes (what a pane sets: its options, its folder, its session name) and from hosts
 * (a runtime's id, name, profile) never reaches the operator's terminal raw, through the built
 * CLI: `runtimes list`, and the lines of `pickup`, `outbox retry` and `dispatch`. JSON keeps the
 * data exact, escaped; and no value hides its runtime's row.
 */

// Anything a terminal acts on: C0 but the line feed, DEL, C1, bidi embeddings and isolates.
const UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function expectTerminalSafe(result: CliResult): void {
  for (const [stream, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    const found = UNSAFE.exec(text);
    expect(found, `${stream} holds U+${found?.[0].codePointAt(0)?.toString(16)}: ${text}`).toBe(
      null,
    );
  }
}

const OSC_52 = '\x1b]52;c;SGVsbG8=\x07';
const TITLE = '\x1b]0;owned\x07';

const privateTmux = cliOnPrivateTmux();
const { setUp } = simOnTmux();
const folders: string[] = [];
afterEach(async () => {
  for (const f of folders.splice(0)) await rm(f, { recursive: true, force: true });
});

interface RuntimeRow {
  host: string;
  id: string;
  name: string;
  profile: string | null;
  ticket: string | null;
  cwd: string;
  state: string;
}

describe('runtimes list on a tmux server whose panes set hostile values', () => {
  it('prints every row, each value sanitised on its line; --json keeps each value exact', async () => {
    const { server, cr } = await privateTmux({ keep: true });
    const parent = await mkdtemp(join(tmpdir(), 'cr-e2e-hostile-'));
    folders.push(parent);
    const folder = join(parent, `a\u241fb\tc\nd ${TITLE}e`);
    await mkdir(folder);
    const values = {
      '@cr_profile': `codex${OSC_52}${TITLE}`,
      '@cr_ticket': 'T-1\u241fx\ty\n$9\u241fforged\u241f0\n%end 1 2 1\n%exit',
      '@agent_state': 'idle\n%begin 1 2 1\x9b2J\u202e',
    };
    await server.run(['new-session', '-d', '-s', 'evil', '-c', folder, 'sleep', '600']);
    for (const [option, value] of Object.entries(values)) {
      await server.run(['set-option', '-t', 'evil', option, value]);
    }
    await server.run(['new-session', '-d', '-s', 'hidden\u241fname\u202e', 'sleep', '600']);

    const listed = await cr('--json', 'runtimes', 'list');
    expect(listed.code, describeResult(listed)).toBe(0);
    expectTerminalSafe(listed);
    const rows = parseJson<RuntimeRow[]>(listed);
    expect(rows.map((r) => r.name).sort()).toEqual(['evil', 'hidden\u241fname\u202e', 'keep']);
    const evil = rows.find((r) => r.name === 'evil') as RuntimeRow;
    expect(evil).toMatchObject({
      host: 'local',
      profile: values['@cr_profile'],
      ticket: values['@cr_ticket'],
      cwd: folder,
    });

    const table = await cr('runtimes', 'list');
    expect(table.code, describeResult(table)).toBe(0);
    expectTerminalSafe(table);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const row = lines.find((l) => l.includes(evil.id)) ?? '';
    expect(row).toMatch(new RegExp(`^local\\s+${evil.id}\\s+evil\\s+codex\\s+\\w+\\s`));
    expect(row).toContain(sanitizeLine(values['@cr_ticket']));
    expect(row.endsWith(sanitizeLine(folder))).toBe(true);
    expect(lines.some((l) => l.includes('hidden\u241fname'))).toBe(true);
  });

  it('pickup names a runtime whose session name holds a bidi override without it', async () => {
    const { cr, startSim } = await setUp(300);
    const name = 'sim\u202eevil';
    const id = await startSim(name);
    const key = await addTicket(cr, 'the frobnicator drops every third frame');
    const picked = await cr('pickup', key, '--runtime', id);
    expect(picked.code, describeResult(picked)).toBe(0);
    expectTerminalSafe(picked);
    expect(picked.stdout).toMatch(new RegExp(`^${key} delivered to local:simevil \\(\\S+\\)\\n$`));
    expect((await showTicket(cr, key)).runtime?.name).toBe(name);
  });
});

/** A runtime as a malicious host describes it: every string of it a terminal attack. */
const EVIL_RUNTIME = {
  id: `rt_${TITLE}9`,
  name: `evil${OSC_52}\u202eman\x9b2J`,
  profile: `codex${TITLE}\x1b[2J`,
  cwd: `/srv/${OSC_52}work\nforged row`,
  state: 'idle',
  ticket: `T\x07-1${TITLE}`,
  createdAt: '2026-11-25T06:01:00Z',
  lastActivityAt: '2026-11-25T06:44:10Z',
  command: `codex\x1b[31m${OSC_52}`,
};
const RT = 'rt_1_plain';

/** The host: lists the evil runtime; answers each send as `send` says. */
function maliciousHost(send: () => Fault): Fault {
  return (req, res, seen) => {
    if (seen.method === 'GET' && seen.url === '/v1/runtimes') {
      return json(200, { runtimes: [EVIL_RUNTIME] })(req, res, seen);
    }
    if (seen.method === 'POST' && seen.url.endsWith('/send')) return send()(req, res, seen);
    json(404, { error: { code: 'not_found', message: `no route${TITLE}` } })(req, res, seen);
  };
}

const delivered = json(200, {
  messageId: `m${TITLE}1`,
  deliveredAt: '2026-11-25T06:45:00Z',
  runtime: { ...EVIL_RUNTIME, id: RT, state: 'busy' },
});
const busy = apiError(409, 'runtime_busy', `busy${OSC_52}`, {
  runtime: { ...EVIL_RUNTIME, id: RT, state: 'busy' },
});
const refused = apiError(400, 'invalid_request', `no${OSC_52}\nforged line`);

describe('a malicious runtime host', () => {
  it('runtimes list: the table has nothing raw; --json has every value exact', async () => {
    const cr = await homeCli();
    const server = await faultHost(cr);
    server.fault = maliciousHost(() => delivered);
    const socket = ['--tmux-socket', `cr-e2e-none-${process.pid}`];

    const table = await cr(...socket, 'runtimes', 'list');
    expect(table.code, describeResult(table)).toBe(0);
    expectTerminalSafe(table);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^bb\s+rt_9\s+evilman\s+codex\s+idle\s/);
    expect(lines[1]?.endsWith('/srv/work forged row')).toBe(true);

    const listed = await cr(...socket, '--json', 'runtimes', 'list');
    expect(listed.code, describeResult(listed)).toBe(0);
    expectTerminalSafe(listed);
    expect(parseJson<RuntimeRow[]>(listed)).toEqual([
      expect.objectContaining({ ...EVIL_RUNTIME, host: HOST }),
    ]);
  });

  it('pickup, outbox retry and dispatch name the runtime without its escapes', async () => {
    const cr = await homeCli();
    const server = await faultHost(cr);
    let answer = delivered;
    server.fault = maliciousHost(() => answer);
    const target = `${HOST}:${RT}`;

    const key = await addTicket(cr, 'the widget leaks file handles');
    const picked = await cr('pickup', key, '--runtime', target);
    expect(picked.code, describeResult(picked)).toBe(0);
    expectTerminalSafe(picked);
    expect(picked.stdout).toMatch(new RegExp(`^${key} delivered to bb:evilman \\(\\S+\\)\\n$`));

    // Refused (failed, nothing typed), then retried by hand.
    answer = refused;
    const second = await addTicket(cr, 'the cache never expires');
    const failed = await cr('pickup', second, '--runtime', target, '--attempts', '1');
    expect(failed.code, describeResult(failed)).toBe(4);
    expectTerminalSafe(failed);
    expect(failed.stderr).toMatch(/^control-room: \S+ was not delivered: .*no forged line/m);
    const id = (await showTicket(cr, second)).messages[0]?.id as string;
    answer = delivered;
    const retried = await cr('outbox', 'retry', id);
    expect(retried.code, describeResult(retried)).toBe(0);
    expectTerminalSafe(retried);
    expect(retried.stdout).toMatch(new RegExp(`^${second} delivered to bb:evilman`));

    // Busy: the message waits; the dispatcher delivers it and says so.
    answer = busy;
    const third = await addTicket(cr, 'the index rebuild never ends');
    const waiting = await cr('pickup', third, '--runtime', target);
    expect(waiting.code, describeResult(waiting)).toBe(3);
    expectTerminalSafe(waiting);
    answer = delivered;
    const dispatched = await cr('dispatch', '--once');
    expect(dispatched.code, describeResult(dispatched)).toBe(0);
    expectTerminalSafe(dispatched);
    // The outbox names the runtime by the id it was given (the host's name is not kept there).
    expect(dispatched.stdout).toMatch(new RegExp(`^${third} delivered to bb:${RT}$`, 'm'));
  });
});
