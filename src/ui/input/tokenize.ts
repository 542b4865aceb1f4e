import { splitGraphemes } from './graphemes.js';
import {
  charPress,
  type KeyPress,
  type Modifiers,
  type NamedKey,
  namedPress,
} from './key-press.js';

/**
 * Raw terminal input cut into keys. A read holds as many keys as arrived since the last one (over
 * SSH, several; a paste, hundreds): each printable grapheme is a key, each escape sequence is
 * one, and each control character is one. Sequences the screen has no use for (focus reports,
 * mouse, F-keys, key releases) are dropped, never typed.
 *
 * The one ambiguity is the terminal's own: ESC then a character in the same read is how Alt and
 * that character are sent, so it is read as Alt (Ink and readline read it so too); ESC then ESC,
 * or ESC then a sequence, is Esc and then what follows.
 */

const ESC = '\u001b';

/** C0, DEL and C1: never typed; each is a key of its own (or nothing). */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** The key a lone control character is: Enter, Tab, Backspace, Esc, or Ctrl and a letter. */
function controlPress(code: number, mods: Modifiers = {}): KeyPress | null {
  if (code === 0x0d) return namedPress('return', mods);
  if (code === 0x09) return namedPress('tab', mods);
  if (code === 0x7f || code === 0x08) return namedPress('backspace', mods);
  if (code === 0x1b) return namedPress('escape', mods);
  // Ctrl-A..Ctrl-Z, as Ink names them (LF is Ctrl-J, which nothing binds: CR is Enter).
  if (code >= 0x01 && code <= 0x1a && code !== 0x0a) {
    return charPress(String.fromCharCode(code + 0x60), { ...mods, ctrl: true });
  }
  return null;
}

/** xterm's modifier parameter: 1 + a bit mask (shift 1, alt 2, ctrl 4, super 8, hyper 16, meta 32). */
function modifiers(param: string | undefined): Modifiers & { given: boolean } {
  const mask = Math.max(0, Number.parseInt(param ?? '1', 10) - 1) || 0;
  return {
    shift: (mask & 1) !== 0,
    meta: (mask & 2) !== 0 || (mask & 32) !== 0,
    ctrl: (mask & 4) !== 0,
    given: param !== undefined,
  };
}

const LETTER_KEYS: Record<string, NamedKey> = {
  A: 'upArrow',
  B: 'downArrow',
  C: 'rightArrow',
  D: 'leftArrow',
  H: 'home',
  F: 'end',
};

const TILDE_KEYS: Record<string, NamedKey> = {
  '1': 'home',
  '7': 'home',
  '4': 'end',
  '8': 'end',
  '3': 'delete',
  '5': 'pageUp',
  '6': 'pageDown',
};

/** Kitty's keypad Enter: the one functional key of its private range the screen uses. */
const KITTY_KEYPAD_ENTER = 57414;

/**
 * A key given by its Unicode code point: CSI u (the kitty keyboard protocol) and xterm's
 * modifyOtherKeys (`CSI 27 ; mods ; code ~`). `text` is what the key types, when sent.
 */
function codePointPress(code: number, mods: Modifiers, shifted?: number, text?: string) {
  if (code === KITTY_KEYPAD_ENTER) return namedPress('return', mods);
  if (isControl(code)) return controlPress(code, mods);
  if (code > 0x10ffff || (code >= 0xe000 && code <= 0xf8ff)) return null;
  const base = String.fromCodePoint(code);
  if (mods.ctrl) return charPress(base.toLowerCase(), mods);
  let typed = text;
  if (typed === undefined && mods.shift) {
    typed = shifted !== undefined ? String.fromCodePoint(shifted) : base.toUpperCase();
  }
  typed ??= base;
  if ([...typed].some((c) => isControl(c.codePointAt(0) ?? 0))) return null;
  return charPress(typed, mods);
}

function kittyPress(params: string): KeyPress | null {
  const [keyField = '', modField = '', textField] = params.split(';');
  const [code, shifted] = keyField.split(':').map((n) => Number.parseInt(n, 10));
  const [modParam, event] = modField.split(':');
  // A key's release (event 3) is not a press; a repeat (2) is.
  if (event === '3' || code === undefined || Number.isNaN(code)) return null;
  const text = textField
    ? textField
        .split(':')
        .map((n) => String.fromCodePoint(Number.parseInt(n, 10) || 0x20))
        .join('')
    : undefined;
  return codePointPress(code, modifiers(modParam || undefined), shifted || undefined, text);
}

/** One CSI sequence (`ESC [ params intermediates final`) as a key, or null when it is none. */
function csiPress(params: string, final: string): KeyPress | null {
  // Private parameters (`<` mouse, `?` reports) and legacy `ESC [ [ A` F-keys are no keys here.
  if (/^[<=>?[]/.test(params)) return null;
  const fields = params.split(';');
  if (final === 'u') return kittyPress(params);
  if (final === 'Z') return namedPress('tab', { shift: true });
  const letter = LETTER_KEYS[final];
  if (letter) return namedPress(letter, modifiers(fields[1]));
  if (final !== '~') return null;
  if (fields[0] === '27' && fields.length >= 3) {
    const code = Number.parseInt(fields[2] ?? '', 10);
    return Number.isNaN(code) ? null : codePointPress(code, modifiers(fields[1]));
  }
  const tilde = TILDE_KEYS[fields[0] ?? ''];
  return tilde ? namedPress(tilde, modifiers(fields[1])) : null;
}

/** Where the CSI sequence starting at `start` (at its ESC) ends, after its final byte. */
function csiEnd(text: string, start: number): number {
  let i = start + 2;
  if (text[i] === '[') i += 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code >= 0x40 && code <= 0x7e) return i + 1;
    if (code < 0x20 || code > 0x3f) return i;
    i += 1;
  }
  return i;
}

/** The keys in `text`, in order (no bracketed paste here: key-reader.ts takes those out first). */
export function tokenizeKeys(text: string): KeyPress[] {
  const presses: KeyPress[] = [];
  const add = (press: KeyPress | null) => {
    if (press) presses.push(press);
  };
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x1b) {
      const next = text[i + 1];
      if (next === '[') {
        const end = csiEnd(text, i);
        const body = text.slice(i + 2, end);
        const final = body.at(-1) ?? '';
        // An unfinished sequence (cut by the terminal) is dropped, not typed.
        if (end > i + 2 && /[\x40-\x7e]/.test(final)) add(csiPress(body.slice(0, -1), final));
        i = end;
      } else if (next === 'O' && i + 2 < text.length) {
        // SS3: the application-mode arrows and Home/End.
        const letter = LETTER_KEYS[text[i + 2] ?? ''];
        if (letter) add(namedPress(letter));
        i += 3;
      } else if (next === undefined || next === ESC) {
        add(namedPress('escape'));
        i += 1;
      } else {
        // Alt and the next key (one code point, as the terminal sends it).
        const point = text.codePointAt(i + 1) ?? 0;
        const width = point > 0xffff ? 2 : 1;
        add(
          isControl(point)
            ? controlPress(point, { meta: true })
            : charPress(String.fromCodePoint(point), { meta: true }),
        );
        i += 1 + width;
      }
      continue;
    }
    if (isControl(code)) {
      add(controlPress(code));
      i += 1;
      continue;
    }
    let end = i;
    while (end < text.length && !isControl(text.charCodeAt(end))) end += 1;
    for (const grapheme of splitGraphemes(text.slice(i, end))) add(charPress(grapheme));
    i = end;
  }
  return presses;
}
