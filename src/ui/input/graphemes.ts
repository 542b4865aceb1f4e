/** Text as the operator sees it: graphemes (é as e + accent, 👍🏽, 🇫🇷 are one each). */

let segmenter: Intl.Segmenter | undefined;

export function splitGraphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Backspace in a typed line: the last grapheme goes, not half of it (an accent, a skin tone). */
export function withoutLastGrapheme(text: string): string {
  if (text === '') return text;
  const last = splitGraphemes(text).at(-1) ?? '';
  return text.slice(0, text.length - last.length);
}
