import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cutToWidth, displayWidth, simpleCharWidth } from '../../src/domain/display-width.js';
import { trickyPiece, trickyText } from './helpers/tricky-text.js';

const segmenter = new Intl.Segmenter();
const graphemeCount = (text: string) => [...segmenter.segment(text)].length;

describe('displayWidth', () => {
  it('agrees with string-width, and stands alone as a grapheme, for every BMP character it counts itself', () => {
    const wrong: string[] = [];
    let counted = 0;
    for (let code = 0; code < 0x10000; code += 1) {
      const width = simpleCharWidth(code);
      if (width < 0) continue;
      counted += 1;
      const char = String.fromCharCode(code);
      const hex = code.toString(16).padStart(4, '0');
      if (stringWidth(char) !== width)
        wrong.push(`U+${hex}: ${width}, string-width ${stringWidth(char)}`);
      // A character that joined the one before or after it would need the segmenter.
      if (graphemeCount(`a${char}a`) !== 3) wrong.push(`U+${hex} joins a neighbour`);
      if (graphemeCount(`${char}${char}`) !== 2) wrong.push(`U+${hex} joins itself`);
    }
    expect(wrong).toEqual([]);
    // The fast path must cover what the screen draws (Latin, punctuation, arrows, box drawing,
    // blocks, braille, CJK), or it saves nothing.
    expect(counted).toBeGreaterThan(50_000);
    for (const char of '›·…↓↑─│▏█▁⠋✓✗●•–—’×éß漢字ｱ') {
      expect(simpleCharWidth(char.charCodeAt(0)), char).toBeGreaterThan(0);
    }
  });

  it.each([
    ['empty', ''],
    ['ASCII', 'BENCH-1 info todo'],
    ['the status line', 'control-room  10000 tickets · 4287 todo'],
    ['CJK', '漢字のテスト'],
    ['an emoji', 'ok ✅ done'],
    ['a ZWJ family', 'a👨‍👩‍👧b'],
    ['a combining accent', 'e\u0301'],
    ['a variation selector', '☀\ufe0f'],
    ['Hangul jamo', '\u1100\u1161\u11a8'],
    ['a flag', '🇫🇷'],
    ['SGR', '\x1b[31mred\x1b[0m'],
    ['SGR around simple non-ASCII', '\x1b[38;5;75m› BENCH-1…\x1b[39m ·'],
    ['an OSC 8 link', '\x1b]8;;https://x.test\x07link\x1b]8;;\x07'],
    ['an 8-bit CSI', '\x9b31mx'],
    ['a lone ESC', 'a\x1bb'],
    ['controls', 'a\tb\x07c'],
    ['a lone surrogate', 'x\ud800y'],
    ['a zero-width space', 'a\u200bb'],
    ['Thai with AM', 'กำ'],
    ['halfwidth kana with a voiced mark', 'ｶﾞ'],
  ])('equals string-width: %s', (_name, text) => {
    expect(displayWidth(text)).toBe(stringWidth(text));
  });

  it('equals string-width on any mix of simple and complex text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(trickyPiece, fc.string({ unit: 'binary', maxLength: 4 })), {
          maxLength: 12,
        }),
        (parts) => {
          const text = parts.join('');
          expect(displayWidth(text)).toBe(stringWidth(text));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('cutToWidth', () => {
  /** The cut by graphemes alone, measured by string-width. */
  function reference(text: string, columns: number): [string, string] {
    let used = 0;
    for (const { segment, index } of segmenter.segment(text)) {
      const w = stringWidth(segment);
      if (used + w > columns) return [text.slice(0, index), text.slice(index)];
      used += w;
    }
    return [text, ''];
  }

  it('cuts where the grapheme walk cuts, for any text and width', () => {
    fc.assert(
      fc.property(trickyText(), fc.integer({ min: 0, max: 20 }), (text, columns) => {
        expect(cutToWidth(text, columns)).toEqual(reference(text, columns));
      }),
      { numRuns: 3_000 },
    );
  });
});
