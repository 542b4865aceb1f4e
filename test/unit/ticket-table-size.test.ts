import { describe, expect, it } from 'vitest';
import { ticketTable } from '../../src/cli/format/ticket-text.js';
import { makeTicket } from './helpers/tickets.js';

describe('tickets list of very many tickets', () => {
  it('prints 150,000 rows (the runtime column was sized by Math.max(...all cells))', () => {
    const count = 150_000;
    const tickets = Array.from({ length: count }, (_, i) =>
      makeTicket({ key: `CR-${i + 1}`, title: `finding ${i + 1}` }),
    );
    const lines = ticketTable(tickets, 120).trimEnd().split('\n');
    expect(lines).toHaveLength(count + 1);
    expect(lines[count]).toMatch(/^CR-150000\s+high\s+todo\s+-\s+-\s+finding 150000$/);
  });
});
