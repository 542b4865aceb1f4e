import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/domain/index.js';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import {
  clampScroll,
  type DetailLine,
  detailLines,
  TicketDetail,
  toneColour,
} from '../../../src/ui/components/TicketDetail.js';
import { Providers } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME, type Theme } from '../../../src/ui/theme/theme.js';
import { makeTicket } from '../helpers/tickets.js';

const NOW = Date.parse('2026-11-25T07:00:00Z');

function renderDetail(
  ticket: Ticket,
  {
    width = 80,
    height = 24,
    scroll = 0,
  }: { width?: number; height?: number; scroll?: number } = {},
) {
  return render(
    <Providers store={createAppStore(stateWithTickets([ticket]))} theme={NO_COLOR_THEME}>
      <TicketDetail ticket={ticket} width={width} height={height} scroll={scroll} nowMs={NOW} />
    </Providers>,
  );
}

const texts = (lines: DetailLine[]) => lines.map((l) => l.segments.map((s) => s.text).join(''));
/** The frame's words with wrapping undone, to find text that was wrapped across lines. */
const flat = (frame: string) => frame.replace(/\s+/g, ' ');

const ERROR_MESSAGE = `runtime rt_1 on h1 answered 409: ${'it is still working on OPS-7 '.repeat(8)}(end of message)`;

const full = makeTicket({
  key: 'OPS-7',
  title: 'Token leak in logs',
  severity: 'critical',
  state: 'needs_input',
  owner: 'alice',
  location: 'src/log/format.ts:12',
  flaggedBy: 'semgrep',
  sourceHash: 'abc123def',
  body: '# Impact\n\nThe **bearer token** is logged.\n\n- step one\n- step two\n\n```\nlog(token)\n```',
  suggestedFix: 'Redact with `redact(token)`.',
  runtime: { host: 'h1', id: 'rt_1', name: 'mc-1', adopted: true },
  lastError: {
    kind: 'busy',
    status: 409,
    host: 'h1',
    message: ERROR_MESSAGE,
    at: '2026-11-25T06:55:00Z',
  },
  messages: [
    { id: 'msg_1', state: 'failed', runtime: 'h1:rt_1', error: 'connection refused' },
    { id: 'msg_2', state: 'unknown', runtime: 'h1:rt_1', error: null },
    { id: 'msg_3', state: 'delivered', runtime: 'h1:rt_1', error: null },
  ],
  events: [
    { at: '2026-11-25T06:00:00Z', type: 'created', text: 'first event' },
    { at: '2026-11-25T06:50:00Z', type: 'sent', text: 'middle event' },
    { at: '2026-11-25T06:55:00Z', type: 'error', text: 'last event' },
  ],
});

describe('ticket detail', () => {
  it('shows every field of the ticket', () => {
    const { lastFrame, unmount } = renderDetail(full, { height: 200 });
    const frame = lastFrame() ?? '';
    for (const expected of [
      'OPS-7 Token leak in logs',
      'severity     critical',
      'state        needs input',
      'owner        alice',
      'location     src/log/format.ts:12',
      'flagged by   semgrep',
      'source hash  abc123def',
      'runtime      mc-1 (rt_1) on h1 · adopted (it was busy)',
      'created      2026-11-25T06:00:00Z (1h ago)',
      'updated      2026-11-25T06:00:00Z (1h ago)',
      'The bearer token is logged.',
      '• step one',
      'log(token)',
      'Redact with `redact(token)`.',
    ]) {
      expect(frame).toContain(expected);
    }
    unmount();
  });

  it('says "-" for empty fields and does not call a plain binding adopted', () => {
    const lines = texts(
      detailLines(
        makeTicket({ runtime: { host: 'h2', id: 'rt_9', name: null, adopted: false } }),
        80,
        NOW,
      ),
    );
    expect(lines).toContain('owner        -');
    expect(lines).toContain('runtime      rt_9 on h2');
    expect(lines.join('\n')).not.toContain('adopted');
  });

  it('shows the last send error in full: kind, status, host, message and when', () => {
    const { lastFrame, unmount } = renderDetail(full, { height: 200 });
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Last send error');
    expect(frame).toContain('kind         busy');
    expect(frame).toContain('status       409');
    expect(frame).toContain('host         h1');
    expect(frame).toContain('at           2026-11-25T06:55:00Z (5m ago)');
    // Wrapped over several lines, but not a word of it cut.
    expect(flat(frame)).toContain(flat(ERROR_MESSAGE));
    expect(frame).not.toContain('…');
    unmount();
  });

  it('says when a send got no answer at all', () => {
    const ticket = makeTicket({
      lastError: { kind: 'timeout', status: null, host: 'h3', message: 'no answer', at: 'x' },
    });
    expect(texts(detailLines(ticket, 80, NOW))).toContain('status       none (no answer)');
  });

  it('colours the last error with the error token and message states by what they need', () => {
    const lines = detailLines(full, 80, NOW);
    const pieces = lines.flatMap((l) => l.segments);
    const toneOf = (text: string) => pieces.find((s) => s.text.trim() === text)?.tone;
    const toneWith = (text: string) => pieces.find((s) => s.text.includes(text))?.tone;
    expect(toneWith('(end of message)')).toBe('error'); // the last wrapped line of the message
    expect(toneOf('busy')).toBe('error');
    expect(toneOf('failed')).toBe('error');
    expect(toneWith('connection refused')).toBe('error');
    expect(toneOf('unknown')).toBe('warning');
    expect(toneOf('delivered')).toBe('success');
    expect(toneOf('critical')).toBe('severity.critical');
    expect(toneOf('· adopted (it was busy)')).toBe('warning');

    const theme: Theme = {
      ...NO_COLOR_THEME,
      error: 'red',
      warning: 'yellow',
      accent: 'blue',
      severity: { ...NO_COLOR_THEME.severity, critical: 'magenta' },
    };
    expect(toneColour(theme, { text: 'x', tone: 'error' })).toBe('red');
    expect(toneColour(theme, { text: 'x', tone: 'warning' })).toBe('yellow');
    expect(toneColour(theme, { text: 'x', tone: 'severity.critical' })).toBe('magenta');
    expect(toneColour(theme, { text: 'x', style: 'code' })).toBe('blue');
  });

  it('lists the messages with their states and the timeline newest last', () => {
    const frame = renderDetail(full, { height: 200 }).lastFrame() ?? '';
    expect(frame).toContain('msg_1  failed  h1:rt_1');
    expect(frame).toContain('connection refused');
    expect(frame).toContain('msg_2  unknown  h1:rt_1');
    expect(frame).toContain('2026-11-25T06:00:00Z  created  first event');
    const first = frame.indexOf('first event');
    const middle = frame.indexOf('middle event');
    const last = frame.indexOf('last event');
    expect(first).toBeGreaterThan(-1);
    expect(middle).toBeGreaterThan(first);
    expect(last).toBeGreaterThan(middle);
    expect(frame.trimEnd().endsWith('last event')).toBe(true);
  });

  it('never shows escape sequences from any ticket text', () => {
    const evil = makeTicket({
      key: 'X-1',
      title: 'evil \u001b]52;c;SGVsbG8=\u0007title \u001b[2J\u202eend',
      body: 'body \u001b[31mred\u001b[0m text\n```\ncode \u001b]0;owned\u0007line\n```',
      owner: 'eve\u001b[1A',
      lastError: {
        kind: 'server',
        status: 503,
        host: 'h\u001b[2Kost',
        message: 'bad \u001b]8;;http://x\u0007link\u001b]8;;\u0007 here',
        at: '2026-11-25T06:59:00Z',
      },
      messages: [{ id: 'm\u001b7', state: 'failed', runtime: 'r', error: 'e\u009b31mrr' }],
      events: [{ at: '2026-11-25T06:00:00Z', type: 't\u001bc', text: 'ev\u001b[5mil' }],
    });
    const frame = renderDetail(evil, { height: 200 }).lastFrame() ?? '';
    expect(frame).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    for (const text of ['evil title end', 'body red text', 'code line', 'owner        eve']) {
      expect(frame).toContain(text);
    }
    expect(frame).toContain('host         host');
    expect(frame).toContain('bad link here');
    expect(frame).toContain('err');
    expect(frame).toContain('evil');
  });

  it('shows at most `height` lines, starting at `scroll`', () => {
    const all = texts(detailLines(full, 80, NOW));
    expect(all.length).toBeGreaterThan(24); // else this test would scroll nothing

    const top = renderDetail(full, { height: 10 }).lastFrame() ?? '';
    expect(top.split('\n')).toHaveLength(10);
    expect(top).toContain('OPS-7');
    expect(top).not.toContain('last event');

    const later = renderDetail(full, { height: 10, scroll: 12 }).lastFrame() ?? '';
    expect(later.split('\n')).toHaveLength(10);
    expect(later.split('\n')[0]?.trimEnd()).toBe(all[12]?.trimEnd());
    expect(later).not.toContain('OPS-7 Token');
  });

  it('clamps the scroll so the last screenful stays full', () => {
    const count = detailLines(full, 80, NOW).length;
    expect(clampScroll(10_000, count, 10)).toBe(count - 10);
    expect(clampScroll(-5, count, 10)).toBe(0);
    expect(clampScroll(3, 5, 10)).toBe(0);

    const end = renderDetail(full, { height: 10, scroll: 10_000 }).lastFrame() ?? '';
    const rows = end.split('\n');
    expect(rows).toHaveLength(10);
    expect(rows[9]).toContain('last event');
  });

  it('fits 80 columns: long lines are wrapped or cut, never wider', () => {
    const wide = makeTicket({
      title: `${'長いタイトル'.repeat(10)} and more words to wrap`,
      location: `src/${'deep/'.repeat(30)}file.ts:1`,
      body: `\`\`\`\n${'x'.repeat(200)}\n\`\`\`\n${'wrapped words '.repeat(20)}`,
      lastError: { kind: 'auth', status: 401, host: 'h'.repeat(120), message: 'm', at: 'x' },
    });
    const frame = renderDetail(wide, { height: 200 }).lastFrame() ?? '';
    const rows = frame.split('\n');
    expect(Math.max(...rows.map((r) => stringWidth(r)))).toBeLessThanOrEqual(80);
    // The code line is cut (marked) rather than wrapped; the location is wrapped, not lost.
    expect(frame).toContain(`${'x'.repeat(79)}…`);
    expect(frame.replace(/\s+/g, '')).toContain(`src/${'deep/'.repeat(30)}file.ts:1`);
    expect(frame.replace(/\s+/g, '')).toContain('h'.repeat(120));
  });

  it('stays within a narrow terminal, labels going above their values', () => {
    const lines = texts(detailLines(full, 28, NOW));
    expect(Math.max(...lines.map((l) => stringWidth(l)))).toBeLessThanOrEqual(28);
    const label = lines.indexOf('location');
    expect(label).toBeGreaterThan(-1);
    expect(lines[label + 1]).toBe('  src/log/format.ts:12');
  });
});
