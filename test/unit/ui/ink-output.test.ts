import { styledCharsFromTokens, tokenize } from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import inkWidestLine from 'widest-line';
import InkOutput from '../../../node_modules/ink/build/output.js';
import widestLine, { toStyledChars } from '../../../src/ui/ink/measure.js';
import Output from '../../../src/ui/ink/output.js';

/**
 * The bundle's frame buffer (src/ui/ink/output.ts) must draw exactly what Ink 6.8's own does,
 * frame after frame (its caches outlive a frame, so the order of frames matters too).
 */

type Op =
  | { type: 'write'; x: number; y: number; text: string; upper: boolean }
  | { type: 'clip'; x1?: number; x2?: number; y1?: number; y2?: number }
  | { type: 'unclip' };

const SGR = ['\u001b[31m', '\u001b[1m', '\u001b[44m', '\u001b[39m', '\u001b[0m', '\u001b[7m'];
const PIECES = ['a', 'bc', ' ', 'é', '世', '界', '😀', 'x\ny', ...SGR];

const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join(''));
const write = fc.record({
  type: fc.constant('write' as const),
  x: fc.integer({ min: 0, max: 14 }),
  y: fc.integer({ min: 0, max: 6 }),
  text,
  upper: fc.boolean(),
});
const clip = fc.record(
  {
    type: fc.constant('clip' as const),
    x1: fc.integer({ min: 0, max: 8 }),
    x2: fc.integer({ min: 4, max: 16 }),
    y1: fc.integer({ min: 0, max: 3 }),
    y2: fc.integer({ min: 2, max: 7 }),
  },
  { requiredKeys: ['type'] },
);
const frame = fc.array(
  fc.oneof(write, write, write, clip, fc.constant({ type: 'unclip' as const })),
  {
    maxLength: 14,
  },
);

interface Buffer {
  write(x: number, y: number, text: string, options: { transformers: never[] }): void;
  clip(clip: object): void;
  unclip(): void;
  get(): { output: string; height: number };
}

const upper = (line: string) => line.toUpperCase();

function draw(buffer: Buffer, ops: Op[]): { output: string; height: number } {
  for (const op of ops) {
    if (op.type === 'write') {
      const transformers = (op.upper ? [upper] : []) as never[];
      buffer.write(op.x, op.y, op.text, { transformers });
    } else if (op.type === 'clip') {
      const { type: _, ...area } = op;
      buffer.clip(area);
    } else buffer.unclip();
  }
  return buffer.get();
}

describe('the bundle’s Ink frame buffer', () => {
  it('draws what Ink 6.8 draws, frame after frame', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(frame, fc.integer({ min: 1, max: 18 }), fc.integer({ min: 1, max: 8 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (frames) => {
          for (const [ops, width, height] of frames) {
            const theirs = draw(new InkOutput({ width, height }) as unknown as Buffer, ops);
            const ours = draw(new Output({ width, height }), ops);
            expect(ours).toEqual(theirs);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('redraws a line that changed, and keeps one that did not', () => {
    const first = new Output({ width: 10, height: 2 });
    first.write(0, 0, 'same', { transformers: [] });
    first.write(0, 1, '\u001b[31mold\u001b[39m', { transformers: [] });
    expect(first.get().output).toBe('same\n\u001b[31mold\u001b[39m');
    const second = new Output({ width: 10, height: 2 });
    second.write(0, 0, 'same', { transformers: [] });
    second.write(0, 1, 'new', { transformers: [] });
    expect(second.get().output).toBe('same\nnew');
    // The same letters in another colour are another line.
    const third = new Output({ width: 10, height: 2 });
    third.write(0, 0, 'same', { transformers: [] });
    third.write(0, 1, '\u001b[32mnew\u001b[39m', { transformers: [] });
    expect(third.get().output).toBe('same\n\u001b[32mnew\u001b[39m');
  });

  it('makes the cells of a line as ansi-tokenize does, ASCII fast path included', () => {
    const ascii = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
    fc.assert(
      fc.property(fc.oneof(ascii, text), (line) => {
        expect(toStyledChars(line)).toEqual(styledCharsFromTokens(tokenize(line)));
      }),
    );
  });

  it('makes the cells of styled text as ansi-tokenize does, for any codes and characters', () => {
    const codes = fc.array(
      fc.constantFrom(
        ...SGR,
        '\u001b[38;5;75m',
        '\u001b[48;2;1;2;3m',
        '\u001b[1;31m',
        '\u001b[22m',
        '\u001b[49m',
        '\u001b[m',
        '\u001b[;m',
        '\u001b[38;5m',
      ),
      { maxLength: 4 },
    );
    const chars = fc.array(
      fc.oneof(
        fc.constantFrom('›', '…', '·', '─', '世', 'ｶ', 'ﾞ', '\u0301', '\u200d', '😀', '\t', 'é'),
        fc.integer({ min: 0x20, max: 0xffff }).map((code) => String.fromCharCode(code)),
      ),
      { maxLength: 12 },
    );
    // Runs of codes and characters, as a styled Text (one run) or a row of them writes.
    const runs = fc.array(fc.tuple(codes, chars), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(runs, codes, (parts, close) => {
        const line =
          parts.map(([open, run]) => open.join('') + run.join('')).join('') + close.join('');
        expect(toStyledChars(line)).toEqual(styledCharsFromTokens(tokenize(line)));
      }),
      { numRuns: 3_000 },
    );
  });

  it('makes the cells of every BMP character, styled, as ansi-tokenize does', () => {
    const all = Array.from({ length: 0xffff - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))
      .filter((c) => !/[\u001b\u009b\ud800-\udfff]/.test(c))
      .join('');
    for (let at = 0; at < all.length; at += 256) {
      const line = `\u001b[38;5;75m\u001b[1m${all.slice(at, at + 256)}\u001b[22m\u001b[39m`;
      expect(toStyledChars(line)).toEqual(styledCharsFromTokens(tokenize(line)));
    }
  });

  it('measures the widest line as widest-line does', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(widestLine(t)).toBe(inkWidestLine(t));
        expect(widestLine(t)).toBe(inkWidestLine(t));
      }),
    );
  });
});
