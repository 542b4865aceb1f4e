import { describe, expect, it } from 'vitest';
import { ticketTable } from '../../src/cli/format/ticket-text.js';
import { makeTicket } from './helpers/tickets.js';

describe('tickets list: a ticket queued behind another', () => {
  const holder = makeTicket({
    key: 'DEMO-4',
    state: 'in_progress',
    runtime: { host: 'local', id: 'rt_1', name: 'sim-working', adopted: false },
  });
  const queued = makeTicket({
    key: 'DEMO-6',
    state: 'in_progress',
    runtime: null,
    messages: [{ id: 'msg_1', state: 'pending', runtime: 'local:rt_1', error: null }],
  });

  it('says on which runtime it waits and after which ticket, by the runtime’s name', () => {
    const lines = ticketTable([queued, holder]).split('\n');
    expect(lines[1]).toMatch(
      /^DEMO-6\s+\S+\s+in_progress\s+-\s+queued on sim-working after DEMO-4\s/,
    );
    expect(lines[2]).toMatch(/^DEMO-4\s+\S+\s+in_progress\s+-\s+sim-working\s/);
  });

  it('without the ticket that holds it in the list, names the runtime alone', () => {
    const [, line] = ticketTable([queued]).split('\n');
    expect(line).toMatch(/^DEMO-6\s+\S+\s+in_progress\s+-\s+queued on local:rt_1\s/);
  });
});
