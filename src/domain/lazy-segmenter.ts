import { isSimpleChar } from './simple-chars.js';

/**
 * `Intl.Segmenter`, made on first need. The bundle puts it wherever its code, or a dependency's,
 * names `Intl.Segmenter` (scripts/lazy-segmenter.mjs: esbuild's `define` and `inject`).
 *
 * Why: the first Segmenter a process makes loads ICU's break-iteration data, ~15 ms, and string
 * width, ANSI tokenizing and truncating modules each make one when they load, before the first
 * frame. Most text they are given (a table's cells, SGR codes) is made of characters that are
 * each a grapheme of their own: for grapheme segmentation of such text this answers by character
 * and makes no Segmenter at all. Anything else, and word or sentence segmentation, goes to a real
 * one, made then. A test holds the answers equal to Intl.Segmenter's.
 */
const RealSegmenter = globalThis.Intl.Segmenter;

type Locales = ConstructorParameters<typeof Intl.Segmenter>[0];
type Options = ConstructorParameters<typeof Intl.Segmenter>[1];

export class LazySegmenter {
  private real: Intl.Segmenter | undefined;
  private readonly graphemes: boolean;

  constructor(
    private readonly locales?: Locales,
    private readonly options?: Options,
  ) {
    this.graphemes = (options?.granularity ?? 'grapheme') === 'grapheme';
  }

  static supportedLocalesOf(...args: Parameters<typeof Intl.Segmenter.supportedLocalesOf>) {
    return RealSegmenter.supportedLocalesOf(...args);
  }

  segment(input: string): Intl.Segments {
    const text = String(input);
    if (this.graphemes && charsAreGraphemes(text)) return charSegments(text);
    return this.segmenter().segment(text);
  }

  resolvedOptions(): Intl.ResolvedSegmenterOptions {
    return this.segmenter().resolvedOptions();
  }

  private segmenter(): Intl.Segmenter {
    this.real ??= new RealSegmenter(this.locales, this.options);
    return this.real;
  }
}

/**
 * Whether every character of `text` is a grapheme of its own: printable ASCII, a control other
 * than CR (which pairs with LF), or a simple character (simple-chars.ts).
 */
function charsAreGraphemes(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x0d) return false;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) continue;
    if (!isSimpleChar(code)) return false;
  }
  return true;
}

/** Segments of one character each, shaped as Intl.Segmenter's for grapheme granularity. */
function charSegments(input: string): Intl.Segments {
  const at = (index: number): Intl.SegmentData => ({
    segment: input[index] as string,
    index,
    input,
  });
  return {
    containing(index = 0) {
      const i = Math.trunc(Number(index)) || 0;
      return i >= 0 && i < input.length ? at(i) : undefined;
    },
    *[Symbol.iterator]() {
      for (let index = 0; index < input.length; index += 1) yield at(index);
    },
  } as Intl.Segments;
}
