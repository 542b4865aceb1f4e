/**
 * The key that detaches the operator from an attached runtime (Ctrl-] by default, as in telnet).
 * A terminal can send one key press in three ways, depending on what the program it shows asked
 * for, so each is recognised:
 *
 * - raw: the C0 control byte (Ctrl-] is 0x1d), what every terminal sends by default;
 * - CSI u: `ESC [ <code> ; 5 u` once a program pushed the kitty keyboard protocol
 *   (https://sw.kovidgoyal.net/kitty/keyboard-protocol/; code is the unshifted key's code point,
 *   5 is 1 + ctrl), also xterm's `formatOtherKeys: 1`;
 * - modifyOtherKeys: `ESC [ 27 ; 5 ; <code> ~`, xterm's form, which tmux turns on in the
 *   operator's terminal when its `extended-keys` is on (`CSI > 4 ; 1|2 m`).
 *
 * The attached tmux client writes those mode switches to our terminal, so the operator's very
 * next key press may arrive in any of the forms: all are looked for in every chunk.
 */

export interface DetachKey {
  /** How the key is shown to the operator: `Ctrl-]`. */
  label: string;
  /** Every byte sequence the key press may arrive as. */
  sequences: Buffer[];
}

const ACCEPTED = 'ctrl-a … ctrl-z (not ctrl-h, ctrl-i, ctrl-j, ctrl-m), ctrl-] or ctrl-\\';

/** Keys whose control byte is also a key of its own, or starts every escape sequence. */
const TAKEN: Record<string, string> = {
  '[': 'Escape',
  h: 'Backspace',
  i: 'Tab',
  j: 'Enter (line feed)',
  m: 'Enter',
};

/** The punctuation keys whose Ctrl form is a C0 byte of no other key. */
const PUNCTUATION: Record<string, number> = { ']': 0x1d, '\\': 0x1c };

function invalid(spec: string, why: string): Error {
  return new Error(`detach key "${spec}": ${why}; use ${ACCEPTED}`);
}

/**
 * Reads a key spec: `ctrl-]`, `Ctrl-Q`, `ctrl+a`, `C-a` or `^]` (case-insensitive). Throws an
 * Error naming the accepted forms otherwise.
 */
export function parseDetachKey(spec: string): DetachKey {
  const match = /^(?:ctrl[-+]|c-|\^)(.)$/i.exec(spec.trim());
  if (!match) throw invalid(spec, 'not a Ctrl key');
  const key = (match[1] as string).toLowerCase();
  const taken = TAKEN[key];
  if (taken) throw invalid(spec, `Ctrl-${key.toUpperCase()} is the same byte as ${taken}`);
  let raw: number;
  if (/^[a-z]$/.test(key)) {
    raw = key.charCodeAt(0) - 0x60;
  } else if (PUNCTUATION[key] !== undefined) {
    raw = PUNCTUATION[key];
  } else {
    throw invalid(spec, `Ctrl-${key} is not a key this control room can tell apart`);
  }
  const code = key.charCodeAt(0);
  return {
    label: `Ctrl-${key.toUpperCase()}`,
    sequences: [
      Buffer.from([raw]),
      Buffer.from(`\x1b[${code};5u`, 'latin1'),
      Buffer.from(`\x1b[27;5;${code}~`, 'latin1'),
    ],
  };
}

/** The default detach key, Ctrl-]. */
export const DEFAULT_DETACH_KEY = 'ctrl-]';

/**
 * Where the key first occurs in one chunk of input. A sequence split across two chunks is not
 * found: a terminal writes one key press in one write, so a split only happens under heavy load,
 * and then the press is forwarded (the operator presses it again). The raw form is one byte and
 * never splits.
 */
export function findDetachKey(
  chunk: Buffer,
  key: DetachKey,
): { index: number; length: number } | null {
  let best: { index: number; length: number } | null = null;
  for (const sequence of key.sequences) {
    const index = chunk.indexOf(sequence);
    if (index >= 0 && (best === null || index < best.index)) {
      best = { index, length: sequence.length };
    }
  }
  return best;
}
