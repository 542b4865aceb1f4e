/**
 * Whether a prompt shows on a screen: the evidence that an earlier send may have reached the
 * agent (in its transcript, or still in its input line). Agents wrap, indent and frame what they
 * echo, so whitespace and frame characters are ignored on both sides, and a line of the text
 * counts wherever it shows (a prompt merged into another starts mid-line).
 */

/** Lines shorter than this say little (`Issue:`); a text of nothing else is matched whole. */
const DISTINCT_CHARS = 12;
/** Enough of a line to be sure; agents may cut a long line short. */
const NEEDLE_CHARS = 48;
/** A long text shows its first lines and its last ones; the middle adds little but work. */
const LINES_LOOKED_AT = 100;

const IGNORED = /[\s│┃|▌>›»]+/g;

function squeeze(text: string): string {
  return text.replace(IGNORED, '');
}

export function textOnScreen(text: string, screen: readonly string[]): boolean {
  const haystack = screen.map(squeeze).join('');
  if (haystack === '') return false;
  const lines = text.split('\n').map(squeeze);
  const distinct = lines.filter((line) => line.length >= DISTINCT_CHARS);
  const half = LINES_LOOKED_AT / 2;
  const looked =
    distinct.length > LINES_LOOKED_AT
      ? [...distinct.slice(0, half), ...distinct.slice(-half)]
      : distinct;
  if (looked.length === 0) {
    const whole = squeeze(text);
    return whole !== '' && haystack.includes(whole);
  }
  return looked.some((line) => haystack.includes(line.slice(0, NEEDLE_CHARS)));
}
