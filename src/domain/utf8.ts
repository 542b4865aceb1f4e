/**
 * Text files read strictly: bytes that are not UTF-8 are refused where they are, never replaced
 * with U+FFFD (a replaced byte would be stored as if the file had said so).
 */

const strict = new TextDecoder('utf-8', { fatal: true });

export type Utf8Result =
  | { ok: true; text: string }
  /** `offset`: of the first byte that is not UTF-8; `line`, `column`: 1-based, in bytes. */
  | { ok: false; offset: number; line: number; column: number; byte: number };

/** The text of `bytes` (a leading byte-order mark dropped), or where it stops being UTF-8. */
export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch (error) {
    // The decoder does not say where; only a bad file pays for the search. Anything else (a
    // text too long for a string) is not about the bytes and goes to the caller.
    const offset = firstInvalidUtf8(bytes);
    if (offset === -1) throw error;
    let line = 1;
    let lineStart = 0;
    for (let at = bytes.indexOf(0x0a); at !== -1 && at < offset; at = bytes.indexOf(0x0a, at + 1)) {
      line++;
      lineStart = at + 1;
    }
    return { ok: false, offset, line, column: offset - lineStart + 1, byte: bytes[offset] ?? 0 };
  }
}

/** What a refusal says after the file and line: the byte, where on its line, what to do. */
export function notUtf8Message(result: { byte: number; column: number }): string {
  const byte = `0x${result.byte.toString(16).padStart(2, '0')}`;
  return `byte ${byte} (byte ${result.column} of the line) is not UTF-8 text; save the file as UTF-8`;
}

/**
 * Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (the
 * Unicode standard's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or
 * -1 when all of it is UTF-8. A sequence that is cut short (by a wrong byte or the end) is
 * reported where it starts, so the line reported is the one its first byte is on.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0; // overlong below U+0800
      if (b === 0xed) high = 0x9f; // the surrogates U+D800..U+DFFF
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90; // overlong below U+10000
      if (b === 0xf4) high = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return i;
      const c = bytes[i + k] as number;
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}
