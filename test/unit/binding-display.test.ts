import { describe, expect, it } from 'vitest';
import type { RuntimeBinding, Ticket } from '../../src/domain/index.js';
import { selectQueue, selectRuntimes } from '../../src/store/selectors.js';
import { emptyState } from '../../src/store/state.js';
import { layoutRuntimeColumns, runtimeCell } from '../../src/ui/components/runtime-columns.js';
import { cellText, layoutColumns, runtimeWant } from '../../src/ui/components/ticket-columns.js';
import { pickupChoices } from '../../src/ui/pickup-choices.js';
import { makeRuntimeEntry, makeTicket } from './helpers/tickets.js';

/**
 * An adopted or queued binding reads in full in the ticket list and the runtimes table, at 80
 * and 120 columns; the chooser offers busy runtimes, and not a failing host's (issue 13, 7, 14).
 */

const NOW = Date.parse('2026-11-25T07:00:00Z');
const WORKING = makeRuntimeEntry({ host: 'local', id: 'rt_4', name: 'sim-working', state: 'busy' });
const BOUND: RuntimeBinding = { host: 'local', id: 'rt_4', name: 'sim-working', adopted: true };

function stateWith(tickets: Ticket[]) {
  return {
    ...emptyState(),
    tickets: Object.fromEntries(tickets.map((t) => [t.key, t])),
    ticketOrder: tickets.map((t) => t.key),
    runtimes: { 'local:rt_4': WORKING },
  };
}

const holder = makeTicket({ key: 'DEMO-4', state: 'in_progress', runtime: BOUND });
const queued = makeTicket({
  key: 'DEMO-6',
  state: 'in_progress',
  runtime: null,
  messages: [{ id: 'm6', state: 'pending', runtime: 'local:rt_4', error: null }],
});
const state = stateWith([queued, holder]);

describe('the ticket list', () => {
  it('names the runtime a ticket is queued on and the ticket before it', () => {
    expect(selectQueue(state, queued)).toBe('queued on sim-working after DEMO-4');
    expect(selectQueue(state, holder)).toBeNull();
  });

  it.each([
    [120, 'adopted sim-working', 'queued on sim-working after DEMO-4'],
    [80, 'adopted sim-working', 'sim-working after DEMO-4'],
  ])('at %i columns shows %s and %s whole', (width, adopted, waiting) => {
    const rows = [
      { ticket: holder, queued: null },
      { ticket: queued, queued: selectQueue(state, queued) },
    ];
    const { columns, titleWidth } = layoutColumns(width, runtimeWant(rows));
    const runtime = columns.find((c) => c.id === 'runtime');
    expect(runtime).toBeDefined();
    const cell = (row: (typeof rows)[number]) =>
      cellText(row.ticket, 'runtime', NOW, runtime?.width, row.queued);
    expect(cell(rows[0] as (typeof rows)[number])).toBe(adopted);
    expect(cell(rows[1] as (typeof rows)[number])).toBe(waiting);
    expect(2 + columns.reduce((sum, c) => sum + c.width + 1, 0) + titleWidth).toBe(width);
    expect(titleWidth).toBeGreaterThanOrEqual(20);
  });
});

describe('the runtimes table', () => {
  const [view] = selectRuntimes(state);

  it.each([80, 120])('at %i columns shows the ticket, adopted, and the one queued', (width) => {
    if (!view) throw new Error('no runtime');
    expect(view).toMatchObject({ ticketKey: 'DEMO-4', adopted: true, queued: ['DEMO-6'] });
    const columns = layoutRuntimeColumns(width, 'DEMO-4 · adopted → DEMO-6'.length);
    const ticket = columns.find((c) => c.id === 'ticket');
    expect(ticket && runtimeCell(view, ticket, NOW, 0)).toBe('DEMO-4 · adopted → DEMO-6');
    expect(ticket?.width).toBeGreaterThanOrEqual('DEMO-4 · adopted → DEMO-6'.length);
  });

  it("shows a failing host's runtime with the failure, not its last state", () => {
    const failing = selectRuntimes({
      ...state,
      hosts: { local: { ok: false, detail: 'connection refused' } },
    })[0];
    if (!failing) throw new Error('no runtime');
    expect(runtimeCell(failing, { id: 'state', width: 13 }, NOW, 0)).toBe('✗ host fails');
    expect(runtimeCell(failing, { id: 'folder', width: 40 }, NOW, 0)).toBe(
      'local fails: connection refused',
    );
  });
});

describe('the pickup chooser', () => {
  const idle = makeRuntimeEntry({ host: 'local', id: 'rt_1', name: 'sim-idle', state: 'idle' });
  const free = makeRuntimeEntry({ host: 'local', id: 'rt_2', name: 'sim-free', state: 'busy' });
  const remote = makeRuntimeEntry({ host: 'bb', id: 'rt_7', name: 'far', state: 'idle' });

  it('offers idle runtimes, then busy ones (after the ticket they work on), then profiles', () => {
    const choices = pickupChoices(
      [
        { ...WORKING, ticketKey: 'DEMO-4' },
        { ...free, ticketKey: null },
        { ...idle, ticketKey: null },
        { ...remote, hostFailure: 'connection refused' },
      ],
      ['codex'],
      NOW,
    );
    expect(choices.map((c) => [c.name, c.disabledReason ?? null])).toEqual([
      ['local:sim-idle', null],
      ['local:sim-free', null],
      ['local:sim-working', null],
      ['a new codex runtime', null],
      ['bb:far', 'host bb fails: connection refused'],
    ]);
    expect(choices[1]?.label).toContain('busy · adopt it');
    expect(choices[2]?.label).toContain('busy · after DEMO-4');
  });

  it('lists an idle runtime with text left in its input line disabled, saying what to do', () => {
    const left = { ...idle, input: 'text' as const, ticketKey: null };
    const [choice] = pickupChoices([left], [], NOW);
    expect(choice?.name).toBe('local:sim-idle');
    expect(choice?.disabledReason).toMatch(/^input not empty: submit or clear the text left/);
  });
});
