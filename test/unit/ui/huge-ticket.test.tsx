import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { TICKET_FIELD_LIMITS } from '../../../src/domain/index.js';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { detailLines, TicketDetail } from '../../../src/ui/components/TicketDetail.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';
import { makeTicket } from '../helpers/tickets.js';
import { renderApp, ticket, waitForFrame } from './render-app.js';

/**
 * A ticket written before the import limits (or by another tool) can hold tens of megabytes.
 * The screen wrapped all of it and overflowed the stack (`push(...lines)`): the detail now wraps
 * the first part only, and says how much is left and where to read it.
 */

const NOW = Date.parse('2026-11-25T07:00:00Z');
const texts = (lines: ReturnType<typeof detailLines>) =>
  lines.map((l) => l.segments.map((s) => s.text).join(''));
const flat = (frame: string) => frame.replace(/\s+/g, ' ');

/** `count` numbered paragraphs of a log, one string (as a database read gives it). */
function logLines(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `line ${i + 1} of the log: the request failed and was retried, then failed again`,
  ).join('\n\n');
}

// About 31 MB: 390,000 paragraphs of about 80 characters.
const HUGE = logLines(390_000);

describe('a ticket body of 30 MB', () => {
  it('opens in the control room with its first lines, and nothing throws', async () => {
    expect(HUGE.length).toBeGreaterThan(30_000_000);
    const { lastFrame, stdin, unmount } = renderApp([ticket('HUGE-1', { body: HUGE })]);
    await waitForFrame(lastFrame, (f) => f.includes('HUGE-1'));
    stdin.write('\r');
    const opened = await waitForFrame(lastFrame, (f) => f.includes('Issue'), 60_000);
    expect(opened).toContain('line 1 of the log');
    expect(opened).toContain('line 2 of the log');
    // Scrolling is by the lines that were wrapped: j moves on, nothing is rebuilt or thrown.
    stdin.write('jjj');
    await waitForFrame(lastFrame, (f) => !f.includes('severity') && f.includes('line 3 of'));
    unmount();
  }, 120_000);

  it('ends the detail with how much is left and the command that prints it', () => {
    const { lastFrame, unmount } = render(
      <Providers store={createAppStore(stateWithTickets([]))} theme={NO_COLOR_THEME}>
        <TicketDetail
          ticket={makeTicket({ key: 'HUGE-2', body: HUGE })}
          width={100}
          height={30}
          scroll={Number.MAX_SAFE_INTEGER}
          nowMs={NOW}
        />
      </Providers>,
    );
    const end = flat(lastFrame() ?? '');
    expect(end).toMatch(/… [\d,]+ more lines \([\d.]+ MiB\) not shown here/);
    expect(end).toContain('`control-room tickets show HUGE-2` prints them');
    unmount();
  }, 60_000);
});

describe('the detail of a long text', () => {
  it('shows a body at the import limit whole, with no note', () => {
    const line = 'x'.repeat(126);
    const body = `${line}\n\n`.repeat(TICKET_FIELD_LIMITS.body / 128);
    expect(body.length).toBe(TICKET_FIELD_LIMITS.body);
    const lines = texts(detailLines(makeTicket({ body }), 200, NOW));
    expect(lines.filter((l) => l === line)).toHaveLength(TICKET_FIELD_LIMITS.body / 128);
    expect(lines.join('\n')).not.toContain('not shown here');
  });

  it('cuts a longer one after a whole line and counts what is left', () => {
    const body = logLines(5_000); // ~410 KB
    const lines = texts(detailLines(makeTicket({ key: 'K-1', body }), 200, NOW));
    const shown = lines.filter((l) => l.startsWith('line '));
    const last = shown[shown.length - 1] ?? '';
    // Whole lines only, in order, and the count of the rest adds up to all of them (each
    // paragraph is a line and a blank line).
    expect(last).toMatch(/^line \d+ of the log: .* again$/);
    const lastNumber = Number(/^line (\d+)/.exec(last)?.[1]);
    expect(shown).toHaveLength(lastNumber);
    const note = lines.find((l) => l.includes('not shown here')) ?? '';
    const rest = (5_000 - lastNumber) * 2 - 1;
    expect(note).toContain(`… ${rest.toLocaleString('en-US')} more lines`);
  });

  it('cuts a title, a field or an event of megabytes before it is cleaned and wrapped', () => {
    const huge = 'y'.repeat(5_000_000);
    const lines = texts(
      detailLines(
        makeTicket({
          title: huge,
          owner: huge,
          events: [{ at: '2026-11-25T06:00:00Z', type: 'created', text: huge }],
        }),
        80,
        NOW,
      ),
    );
    expect(lines.length).toBeLessThan(1_000);
    expect(lines.join('\n')).toContain('y…');
  });
});
