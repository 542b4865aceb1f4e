import { describe, expect, it } from 'vitest';
import { layoutColumns, shortAge } from '../../src/ui/components/ticket-columns.js';
import { padToWidth, truncateToWidth } from '../../src/ui/text-width.js';

describe('layoutColumns', () => {
  it('shows every column on a wide terminal', () => {
    const { columns, titleWidth } = layoutColumns(160);
    expect(columns.map((c) => c.id)).toEqual([
      'key',
      'severity',
      'state',
      'owner',
      'runtime',
      'age',
    ]);
    expect(titleWidth).toBeGreaterThan(80);
  });

  it('drops the owner first, then the age, the runtime, the state', () => {
    const ids = (width: number) => layoutColumns(width).columns.map((c) => c.id);
    expect(ids(100)).toEqual(['key', 'severity', 'state', 'owner', 'runtime', 'age']);
    expect(ids(79)).toEqual(['key', 'severity', 'state', 'runtime', 'age']);
    expect(ids(70)).toEqual(['key', 'severity', 'state', 'runtime']);
    expect(ids(55)).toEqual(['key', 'severity', 'state']);
    expect(ids(50)).toEqual(['key', 'severity']);
  });

  it('never lets the row exceed the width while a title fits', () => {
    for (const width of [50, 79, 80, 120]) {
      const { columns, titleWidth } = layoutColumns(width);
      const used = 2 + columns.reduce((sum, c) => sum + c.width + 1, 0) + titleWidth;
      expect(used).toBe(width);
    }
  });
});

describe('shortAge', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it.each([
    ['2026-11-25T11:59:30Z', '30s'],
    ['2026-11-25T11:55:00Z', '5m'],
    ['2026-11-25T09:00:00Z', '3h'],
    ['2026-11-20T12:00:00Z', '5d'],
    ['not a date', '?'],
  ])('%s → %s', (from, expected) => {
    expect(shortAge(from, now)).toBe(expected);
  });
});

describe('text width', () => {
  it('counts wide characters as two columns and marks the cut', () => {
    expect(truncateToWidth('日本語のテキスト', 7)).toBe('日本語…');
    expect(truncateToWidth('short', 10)).toBe('short');
    expect(truncateToWidth('exactly ten', 11)).toBe('exactly ten');
    expect(truncateToWidth('a longer text', 6)).toBe('a lon…');
  });

  it('pads to the width in columns', () => {
    expect(padToWidth('日本', 6)).toBe('日本  ');
    expect(padToWidth('abcdefgh', 4)).toBe('abc…');
  });

  it('keeps emoji graphemes whole', () => {
    expect(truncateToWidth('👩‍👩‍👧‍👦👩‍👩‍👧‍👦x', 3)).toBe('👩‍👩‍👧‍👦…');
  });
});
