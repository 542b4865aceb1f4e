import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LazySegmenter } from '../../src/domain/lazy-segmenter.js';
import { trickyText } from './helpers/tricky-text.js';

const real = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const lazy = new LazySegmenter(undefined, { granularity: 'grapheme' });
const texts = trickyText();

describe('LazySegmenter', () => {
  it('segments graphemes exactly as Intl.Segmenter does, for any text', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect([...lazy.segment(text)]).toEqual([...real.segment(text)]);
      }),
      { numRuns: 5_000 },
    );
  });

  it('answers containing() as Intl.Segmenter does', () => {
    fc.assert(
      fc.property(
        texts,
        fc.constantFrom(-1, 0, 1, 2.7, 5, 15, 100, Number.NaN, undefined),
        (text, at) => {
          expect(lazy.segment(text).containing(at)).toEqual(real.segment(text).containing(at));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('makes no Segmenter for text whose characters are graphemes of their own, and one otherwise', () => {
    const counting = new LazySegmenter();
    const made = () => (counting as unknown as { real?: Intl.Segmenter }).real !== undefined;
    [...counting.segment('\x1b[38;5;75m› BENCH-1 漢字 ─│ ⠋\x1b[39m')];
    expect(made()).toBe(false);
    [...counting.segment('e\u0301')];
    expect(made()).toBe(true);
  });

  it('passes word segmentation, options and locales through', () => {
    const words = new LazySegmenter('en', { granularity: 'word' });
    const text = 'the quick fox.';
    expect([...words.segment(text)]).toEqual([
      ...new Intl.Segmenter('en', { granularity: 'word' }).segment(text),
    ]);
    expect(words.resolvedOptions()).toEqual(
      new Intl.Segmenter('en', { granularity: 'word' }).resolvedOptions(),
    );
    expect(LazySegmenter.supportedLocalesOf(['en'])).toEqual(
      Intl.Segmenter.supportedLocalesOf(['en']),
    );
  });
});
