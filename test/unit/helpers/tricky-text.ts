import fc from 'fast-check';

/**
 * Text at the edges of the fast paths for simple characters (display width, cutting, segmenting,
 * styled cells): simple non-ASCII, wide, halfwidth, and every kind of character that joins a
 * neighbour (marks, joiners, variation selectors, emoji modifiers, Thai AM, Hangul jamo, flags),
 * controls, CR LF, escape codes and lone surrogates.
 */
const TRICKY = [
  'a',
  ' ',
  '›',
  '…',
  '漢',
  'ｶ',
  'ﾞ',
  '\u0301',
  '\u200d',
  '\ufe0f',
  '👍',
  '🏽',
  'ก',
  'ำ',
  '\u1100',
  '\u1161',
  '🇫',
  '🇷',
  '\x1b[1m',
  '\x1b',
  '\x07',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\x85',
  '\ud83d',
] as const;

/** One tricky piece, or any BMP code unit. */
export const trickyPiece: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
);

/** Text of up to `maxLength` tricky pieces. */
export const trickyText = (maxLength = 16): fc.Arbitrary<string> =>
  fc.array(trickyPiece, { maxLength }).map((pieces) => pieces.join(''));
