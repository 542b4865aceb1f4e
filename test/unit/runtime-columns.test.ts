import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { RuntimeView } from '../../src/store/selectors.js';
import {
  layoutRuntimeColumns,
  type RuntimeColumnId,
  runtimeCell,
  runtimeStateTone,
  SPINNER_FRAMES,
  shortenPath,
  sparkline,
  spinnerGlyph,
} from '../../src/ui/components/runtime-columns.js';
import { makeRuntimeEntry } from './helpers/tickets.js';

const NOW = Date.parse('2026-11-25T07:00:00Z');
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function view(overrides: Partial<RuntimeView> = {}): RuntimeView {
  return {
    ...makeRuntimeEntry(overrides),
    adopted: false,
    ticketKey: null,
    queued: [],
    hostFailure: null,
    ...overrides,
  };
}

const ids = (width: number) => layoutRuntimeColumns(width).map((c) => c.id);
const cell = (v: RuntimeView, id: RuntimeColumnId, width = 40, frame = 0, home?: string) =>
  runtimeCell(v, { id, width }, NOW, frame, { home: home ?? null });

describe('layoutRuntimeColumns', () => {
  it('shows every column at 200 and 120 columns, the folder taking the rest', () => {
    const all = [
      'name',
      'host',
      'profile',
      'state',
      'ticket',
      'folder',
      'uptime',
      'lastActivity',
      'sparkline',
    ];
    expect(ids(200)).toEqual(all);
    expect(ids(120)).toEqual(all);
    const folder = (w: number) => layoutRuntimeColumns(w).find((c) => c.id === 'folder')?.width;
    expect(folder(200)).toBe(111);
    expect(folder(120)).toBe(31);
  });

  it('keeps name, state, ticket, host, folder and last activity at 80 columns', () => {
    expect(ids(80)).toEqual(['name', 'host', 'state', 'ticket', 'folder', 'lastActivity']);
  });

  it('drops uptime first, then the sparkline, profile, last activity, host, ticket, state', () => {
    const dropped: string[] = [];
    let before = ids(200);
    for (let width = 200; width >= 20; width--) {
      const now = ids(width);
      dropped.push(...before.filter((id) => !now.includes(id)));
      before = now;
    }
    expect(dropped).toEqual([
      'uptime',
      'sparkline',
      'profile',
      'lastActivity',
      'host',
      'ticket',
      'state',
    ]);
    expect(ids(20)).toEqual(['name', 'folder']);
  });

  it('fills the width exactly: gutter, columns and one space between each', () => {
    for (let width = 50; width <= 200; width++) {
      const columns = layoutRuntimeColumns(width);
      const used = 2 + columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1;
      expect(used).toBe(width);
    }
  });

  it('gives the state column room for "needs input" with its mark, and "input not empty"', () => {
    const state = layoutRuntimeColumns(80).find((c) => c.id === 'state');
    expect(state?.width).toBeGreaterThanOrEqual(stringWidth('! needs input'));
    expect(state?.width).toBeGreaterThanOrEqual(stringWidth('input not empty'));
  });
});

describe('shortenPath', () => {
  it('shows the home folder as ~, only at a folder boundary', () => {
    expect(shortenPath('/home/ana/src/app', 40, '/home/ana')).toBe('~/src/app');
    expect(shortenPath('/home/ana', 40, '/home/ana/')).toBe('~');
    expect(shortenPath('/home/anabel/x', 40, '/home/ana')).toBe('/home/anabel/x');
    expect(shortenPath('/home/ana/x', 40, null)).toBe('/home/ana/x');
    // A home of "/" would make every path "~…"; it is ignored.
    expect(shortenPath('/srv/x', 40, '/')).toBe('/srv/x');
  });

  it('elides the middle to fit, keeping more of the end', () => {
    const path = '/home/ana/projects/control-room/src/ui/components';
    expect(shortenPath(path, 20, '/home/ana')).toBe('~/proj…ui/components');
    expect(shortenPath(path, 12, null)).toBe('/ho…mponents');
    expect(shortenPath(path, 1, null)).toBe('…');
    expect(shortenPath(path, 0, null)).toBe('');
    for (let width = 1; width <= 60; width++) {
      expect(stringWidth(shortenPath(path, width, null))).toBeLessThanOrEqual(width);
    }
  });

  it('never splits a wide character and never exceeds the width', () => {
    const path = '/srv/日本語/プロジェクト/ソース';
    expect(shortenPath(path, 12, null)).toBe('/sr…/ソース');
    for (let width = 2; width <= 30; width++) {
      const short = shortenPath(path, width, null);
      expect(stringWidth(short)).toBeLessThanOrEqual(width);
      expect(short).not.toContain('\uFFFD');
    }
  });

  it('strips escape sequences before measuring', () => {
    expect(shortenPath('/tmp/\u001b]0;pwned\u0007evil\u001b[2Jdir', 40, null)).toBe('/tmp/evildir');
  });
});

describe('sparkline', () => {
  it('is blank without samples, and empty at width 0', () => {
    expect(sparkline([], 5)).toBe('     ');
    expect(sparkline([1, 2], 0)).toBe('');
  });

  it('scales to the largest sample shown', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe('▁▂▃▅█');
    expect(sparkline([5, 10], 2)).toBe('▅█');
    expect(sparkline([1, 1, 1], 3)).toBe('███');
    expect(sparkline([0, 0, 0], 3)).toBe('▁▁▁');
  });

  it('keeps any activity visible beside a large peak', () => {
    expect(sparkline([1, 1000], 2)).toBe('▂█');
  });

  it('shows the newest samples on the right, blank where there are none yet', () => {
    expect(sparkline([3], 4)).toBe('   █');
    // The 100 has scrolled out of view, so it no longer sets the scale.
    expect(sparkline([100, 1, 2], 2)).toBe('▅█');
  });

  it('treats negative and non-numbers as no activity', () => {
    expect(sparkline([-3, Number.NaN, 2], 3)).toBe('▁▁█');
  });
});

describe('runtimeCell', () => {
  it('spins through the frames while busy, chosen by the frame passed in', () => {
    const busy = view({ state: 'busy' });
    expect(SPINNER_FRAMES.map((_, i) => spinnerGlyph(i)).join('')).toBe('⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏');
    expect(cell(busy, 'state', 13, 3)).toBe('⠸ busy');
    expect(cell(busy, 'state', 13, 13)).toBe('⠸ busy');
    expect(cell(busy, 'state', 13, -1)).toBe('⠏ busy');
    expect(cell(busy, 'state', 13, 0)).not.toBe(cell(busy, 'state', 13, 1));
    // A runtime at rest has no spinner, whatever the frame.
    expect(cell(view({ state: 'idle' }), 'state', 13, 5)).toBe('idle');
  });

  it('marks needs input and shows gone over any last state', () => {
    expect(cell(view({ state: 'needs_input' }), 'state')).toBe('! needs input');
    expect(cell(view({ state: 'busy', gone: true }), 'state', 13, 2)).toBe('gone');
    expect(runtimeStateTone(view({ state: 'needs_input' }))).toBe('attention');
    expect(runtimeStateTone(view({ state: 'busy' }))).toBe('busy');
    expect(runtimeStateTone(view({ state: 'idle' }))).toBe('ready');
    expect(runtimeStateTone(view({ state: 'exited' }))).toBe('ended');
    expect(runtimeStateTone(view({ state: 'needs_input', gone: true }))).toBe('ended');
    expect(runtimeStateTone(view({ state: 'starting' }))).toBe('plain');
  });

  it('says "input not empty" for a waiting agent with text left in its input line', () => {
    for (const state of ['idle', 'unknown'] as const) {
      expect(cell(view({ state, input: 'text' }), 'state')).toBe('input not empty');
      expect(runtimeStateTone(view({ state, input: 'text' }))).toBe('attention');
    }
    // A working agent's input line is its own business; an empty or unread one is no news.
    expect(cell(view({ state: 'busy', input: 'text' }), 'state', 13, 0)).toBe('⠋ busy');
    expect(cell(view({ state: 'idle', input: 'empty' }), 'state')).toBe('idle');
    expect(cell(view({ state: 'idle', input: 'unknown' }), 'state')).toBe('idle');
    expect(cell(view({ state: 'idle', input: 'text', gone: true }), 'state')).toBe('gone');
  });

  it('shows uptime and last activity, no uptime once a runtime is over', () => {
    const v = view({ createdAt: '2026-11-25T04:00:00Z', lastActivityAt: '2026-11-25T06:58:00Z' });
    expect(cell(v, 'uptime')).toBe('3h');
    expect(cell(v, 'lastActivity')).toBe('2m');
    expect(cell({ ...v, gone: true }, 'uptime')).toBe('-');
    expect(cell({ ...v, state: 'exited' }, 'uptime')).toBe('-');
  });

  it('shows the ticket, "-" for no ticket or profile, and the sparkline at column width', () => {
    expect(cell(view({ ticketKey: 'OPS-7' }), 'ticket')).toBe('OPS-7');
    expect(cell(view(), 'ticket')).toBe('-');
    expect(cell(view({ profile: null }), 'profile')).toBe('-');
    expect(runtimeCell(view(), { id: 'sparkline', width: 4 }, NOW, 0, { samples: [2, 4] })).toBe(
      '  ▅█',
    );
    expect(runtimeCell(view(), { id: 'sparkline', width: 4 }, NOW, 0)).toBe('    ');
  });

  it('abbreviates the home folder only for local runtimes', () => {
    expect(cell(view({ host: 'local', cwd: '/home/ana/x' }), 'folder', 40, 0, '/home/ana')).toBe(
      '~/x',
    );
    expect(cell(view({ host: 'h1', cwd: '/home/ana/x' }), 'folder', 40, 0, '/home/ana')).toBe(
      '/home/ana/x',
    );
  });

  it('sanitises every untrusted field', () => {
    const evil = view({
      name: 'mc\u001b]52;c;SGVsbG8=\u0007-1\u001b[2J',
      host: 'h\u001b[1A1',
      profile: 'co\u009b31mdex',
      ticketKey: 'OPS\u202e-7',
      cwd: '/srv/\u001b]8;;http://x\u0007w\u001b]8;;\u0007ork\nnext',
    });
    const columns = layoutRuntimeColumns(200);
    for (const c of columns) {
      expect(runtimeCell(evil, c, NOW, 0, { samples: [1] })).not.toMatch(UNSAFE);
    }
    expect(cell(evil, 'name')).toBe('mc-1');
    expect(cell(evil, 'host')).toBe('h1');
    expect(cell(evil, 'profile')).toBe('codex');
    expect(cell(evil, 'ticket')).toBe('OPS-7');
    expect(cell(evil, 'folder')).toBe('/srv/work next');
  });
});
