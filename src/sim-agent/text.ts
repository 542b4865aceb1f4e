/** Display helpers: one-line forms of arbitrary text, and terminal column widths. */

/** Text as one terminal line: tabs and newlines become spaces, other controls `?`. */
export function oneLine(text: string): string {
  return text
    .replace(/[\t\n]/g, ' ')
    .replace(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** The first `count` characters (code points) of `text`. */
export function firstChars(text: string, count: number): string {
  return Array.from(text).slice(0, count).join('');
}

/** Columns one code point takes in a terminal: an approximation of wcwidth, good enough here. */
export function charWidth(codePoint: number): number {
  if (
    (codePoint >= 0x0300 && codePoint <= 0x036f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f)
  ) {
    return 0;
  }
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f680 && codePoint <= 0x1f6ff) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** The start of one-line `text` that fits in `columns`. */
export function fitStart(text: string, columns: number): string {
  let width = 0;
  let out = '';
  for (const ch of text) {
    width += charWidth(ch.codePointAt(0) as number);
    if (width > columns) break;
    out += ch;
  }
  return out;
}

/** The end of one-line `text` that fits in `columns` (the input line shows what was typed last). */
export function fitEnd(text: string, columns: number): string {
  const chars = Array.from(text);
  let width = 0;
  let start = chars.length;
  while (start > 0) {
    const w = charWidth((chars[start - 1] as string).codePointAt(0) as number);
    if (width + w > columns) break;
    width += w;
    start--;
  }
  return chars.slice(start).join('');
}
