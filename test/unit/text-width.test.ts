import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { padToWidth, truncateToWidth } from '../../src/ui/text-width.js';
import { trickyText } from './helpers/tricky-text.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The cut by graphemes alone, measured by string-width: what truncateToWidth must give. */
function reference(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  let used = 0;
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

describe('truncateToWidth', () => {
  it.each([
    ['fits', 'Finding 1', 20, 'Finding 1'],
    ['cut with a mark', 'Finding 10000: the parser', 10, 'Finding 1…'],
    ['wide characters', '漢字のテスト', 5, '漢字…'],
    ['a combining accent at the cut', 'abce\u0301fg', 5, 'abce\u0301…'],
    ['an emoji sequence', 'ab👨‍👩‍👧cd', 4, 'ab…'],
    ['no room', 'abc', 0, ''],
  ])('%s', (_name, text, width, expected) => {
    expect(truncateToWidth(text, width)).toBe(expected);
    expect(truncateToWidth(text, width)).toBe(reference(text, width));
  });

  it('cuts as the grapheme walk does, for any text and width', () => {
    fc.assert(
      fc.property(trickyText(), fc.integer({ min: 0, max: 20 }), (text, width) => {
        expect(truncateToWidth(text, width)).toBe(reference(text, width));
      }),
      { numRuns: 3_000 },
    );
  });

  it('pads to the width after the cut', () => {
    expect(padToWidth('漢字のテスト', 6)).toBe('漢字… ');
    expect(padToWidth('漢字のテスト', 5)).toBe('漢字…');
    expect(padToWidth('ab', 4)).toBe('ab  ');
  });
});
