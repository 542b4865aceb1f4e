import { describe, expect, it } from 'vitest';
import { ticketDetail, ticketTable } from '../../src/cli/format/ticket-text.js';
import {
  type BindingPresence,
  type HostLook,
  presenceNote,
  presenceOf,
  presenceTag,
  TICKET_STATES,
} from '../../src/domain/index.js';
import { emptyState, selectPresence } from '../../src/store/index.js';
import { detailLines } from '../../src/ui/components/TicketDetail.js';
import { cellText, runtimeTone } from '../../src/ui/components/ticket-columns.js';
import { makeRuntimeEntry, makeTicket } from './helpers/tickets.js';

const BOUND = { host: 'local', id: 'rt_1', name: 'agent-a', adopted: false };
const working = makeTicket({ state: 'in_progress', runtime: BOUND });
const listed = (state: 'idle' | 'exited'): HostLook => ({
  ok: true,
  runtimes: new Map([['rt_1', state]]),
});
const EMPTY: HostLook = { ok: true, runtimes: new Map() };
const DOWN: HostLook = { ok: false, detail: 'connect ECONNREFUSED 10.0.0.7:7420' };

describe('whether a ticket’s runtime is still there', () => {
  it.each([
    ['listed', listed('idle'), 'live'],
    ['listed, its program exited', listed('exited'), 'exited'],
    ['not listed by its host', EMPTY, 'gone'],
    ['its host not read', DOWN, 'unreachable'],
    ['its host not looked at yet', undefined, 'none'],
  ] as const)('%s: %s', (_what, look, kind) => {
    expect(presenceOf(working, look).kind).toBe(kind);
  });

  it('says nothing for a ticket that does not work on a runtime', () => {
    for (const state of TICKET_STATES) {
      const ticket = makeTicket({ state, runtime: BOUND });
      const follows = state === 'in_progress' || state === 'needs_input';
      expect(presenceOf(ticket, EMPTY).kind).toBe(follows ? 'gone' : 'none');
    }
    expect(presenceOf(makeTicket({ state: 'in_progress', runtime: null }), EMPTY).kind).toBe(
      'none',
    );
  });

  it('in a word for a cell, and in full with what to do for a page', () => {
    const cases: [BindingPresence, string | null, RegExp | null][] = [
      [{ kind: 'none' }, null, null],
      [{ kind: 'live' }, null, null],
      [{ kind: 'exited' }, 'exited', /exited: pick the ticket up again/],
      [{ kind: 'gone' }, 'gone', /gone \(closed.*pick the ticket up again/],
      [
        { kind: 'unreachable', host: 'build\u001b[31mbox', detail: 'timeout' },
        'unreachable',
        /^host buildbox unreachable \(timeout\)/,
      ],
    ];
    for (const [presence, tag, note] of cases) {
      expect(presenceTag(presence)).toBe(tag);
      const text = presenceNote(presence);
      if (note) expect(text).toMatch(note);
      else expect(text).toBeNull();
    }
  });

  it('from the store: nothing before the host’s first list, then gone, exited or unreachable', () => {
    const state = emptyState();
    expect(selectPresence(state, working).kind).toBe('none');
    const reached = { ...state, hosts: { local: { ok: true, detail: '' } } };
    expect(selectPresence(reached, working).kind).toBe('gone');
    const entry = makeRuntimeEntry({ host: 'local', id: 'rt_1', state: 'busy' });
    const live = { ...reached, runtimes: { 'local:rt_1': entry } };
    expect(selectPresence(live, working).kind).toBe('live');
    const closed = { ...reached, runtimes: { 'local:rt_1': { ...entry, gone: true } } };
    expect(selectPresence(closed, working).kind).toBe('gone');
    const dead = { ...reached, runtimes: { 'local:rt_1': { ...entry, state: 'exited' as const } } };
    expect(selectPresence(dead, working).kind).toBe('exited');
    const failing = { ...live, hosts: { local: { ok: false, detail: 'tmux went away' } } };
    expect(selectPresence(failing, working)).toEqual({
      kind: 'unreachable',
      host: 'local',
      detail: 'tmux went away',
    });
  });
});

describe('a gone runtime where the ticket names it', () => {
  it('the ticket list’s cell and tone', () => {
    expect(cellText(working, 'runtime', 0)).toBe('agent-a');
    expect(cellText(working, 'runtime', 0, undefined, null, 'gone')).toBe('gone: agent-a');
    expect(runtimeTone(working)).toBe('plain');
    expect(runtimeTone(working, null, 'gone')).toBe('error');
  });

  it('the ticket’s page', () => {
    const text = (presence: BindingPresence) =>
      detailLines(working, 120, 0, presence)
        .map((line) => line.segments.map((s) => s.text).join(''))
        .join('\n');
    expect(text({ kind: 'live' })).toMatch(/^runtime +agent-a \(rt_1\) on local$/m);
    expect(text({ kind: 'gone' })).toMatch(
      /^runtime +agent-a \(rt_1\) on local · gone \(closed, or its tmux server ended\): pick/m,
    );
  });

  it('tickets list and tickets show of the CLI', () => {
    const unbound = makeTicket({ key: 'OPS-2', state: 'todo' });
    const remote = makeTicket({
      key: 'OPS-3',
      state: 'needs_input',
      runtime: { ...BOUND, host: 'bb' },
    });
    const presence = (t: typeof working) => presenceOf(t, t.runtime?.host === 'bb' ? DOWN : EMPTY);
    const lines = ticketTable([working, unbound, remote], undefined, presence).split('\n');
    expect(lines[0]).toMatch(/^KEY\s+SEVERITY\s+STATE\s+OWNER\s+RUNTIME\s+TITLE$/);
    expect(lines[1]).toMatch(/^OPS-101\s+\S+\s+in_progress\s+\S+\s+gone: agent-a\s+SQL/);
    expect(lines[2]).toMatch(/^OPS-2\s+\S+\s+todo\s+\S+\s+-\s+SQL/);
    expect(lines[3]).toMatch(/^OPS-3\s+\S+\s+needs_input\s+\S+\s+unreachable: bb:/);
    // Without a look at the hosts nothing is claimed.
    expect(ticketTable([working]).split('\n')[1]).toMatch(/in_progress\s+\S+\s+agent-a\s+SQL/);

    expect(ticketDetail(working, presenceOf(working, DOWN))).toMatch(
      /^Runtime: +local:agent-a · host local unreachable \(connect ECONNREFUSED 10\.0\.0\.7:7420\)/m,
    );
    expect(ticketDetail(working)).toMatch(/^Runtime: +local:agent-a$/m);
  });
});
