/**
 * Duplicate keys in JSON objects. `JSON.parse` keeps the last of `{"title": "a", "title": "b"}`
 * without a word, so a file that says a field twice would be imported as if it said it once;
 * the import refuses it instead. No dependency of the project reports duplicates at JSON speed,
 * so this is one pass over text that `JSON.parse` has already accepted.
 */

export interface DuplicateKey {
  /** The key as `JSON.parse` reads it (escapes decoded). */
  key: string;
  /** Offsets of the quote that opens the first and the repeated key. */
  firstAt: number;
  at: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Each key that repeats one before it in the same object, in the order of the text, at most
 * `max`. Only for valid JSON (as `JSON.parse` took it): it does not check the grammar, and the
 * nesting is kept on a stack, never by recursion, so deep nesting cannot overflow it.
 */
export function duplicateKeys(text: string, max = Number.POSITIVE_INFINITY): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // One entry per open container: an object's keys with where each is, or null for an array.
  const open: (Map<string, number> | null)[] = [];
  let keys: Map<string, number> | null = null;
  let expectingKey = false;
  for (let i = 0; i < text.length && found.length < max; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      if (expectingKey && keys !== null) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const firstAt = keys.get(key);
        if (firstAt === undefined) keys.set(key, i);
        else found.push({ key, firstAt, at: i });
      }
      expectingKey = false;
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      keys = c === OPEN_BRACE ? new Map() : null;
      open.push(keys);
      expectingKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.pop();
      keys = open[open.length - 1] ?? null;
      expectingKey = false;
    } else if (c === COMMA) {
      expectingKey = keys !== null;
    }
  }
  return found;
}

/** The offset of the quote that closes the string opened at `start`. */
function closingQuote(text: string, start: number): number {
  let at = text.indexOf('"', start + 1);
  while (at !== -1) {
    // Escaped when an odd number of backslashes comes right before it.
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return text.length;
}
