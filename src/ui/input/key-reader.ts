import { appendAll } from '../../domain/lists.js';
import { sanitizeLine } from '../../domain/sanitize.js';
import { type KeyPress, pastePress } from './key-press.js';
import { tokenizeKeys } from './tokenize.js';

/** Bracketed paste (xterm's mode 2004): the terminal wraps pasted text in these. */
export const PASTE_START = '\u001b[200~';
export const PASTE_END = '\u001b[201~';
/** Turns bracketed paste on and off; sent by the screen while it reads keys. */
export const BRACKETED_PASTE_ON = '\u001b[?2004h';
export const BRACKETED_PASTE_OFF = '\u001b[?2004l';

/**
 * Pasted text for a one-line field: escapes and control characters gone, line breaks and tabs
 * folded into spaces (those that end the copied text dropped). A paste never presses Enter: what
 * is pasted into the command line or a runtime's line waits there for the operator to send it.
 */
export function pasteText(raw: string): string {
  return sanitizeLine(raw.replace(/\r\n?/g, '\n').replace(/^\n+|\n+$/g, ''));
}

export interface KeyReader {
  /** The keys completed by this piece of input, in order. */
  push(raw: string): KeyPress[];
}

/**
 * Reads keys from input as it arrives. The only state is a paste under way: its text may come in
 * several reads, and none of it is a key (a pasted CR is not Enter, a pasted `q` does not quit).
 */
export function createKeyReader(): KeyReader {
  let paste: string | null = null;
  return {
    push(raw) {
      const presses: KeyPress[] = [];
      let rest = raw;
      while (rest !== '') {
        if (paste !== null) {
          const all = paste + rest;
          const end = all.indexOf(PASTE_END);
          if (end === -1) {
            paste = all;
            break;
          }
          const text = pasteText(all.slice(0, end));
          if (text !== '') presses.push(pastePress(text));
          paste = null;
          rest = all.slice(end + PASTE_END.length);
          continue;
        }
        const start = rest.indexOf(PASTE_START);
        appendAll(presses, tokenizeKeys(start === -1 ? rest : rest.slice(0, start)));
        if (start === -1) break;
        paste = '';
        rest = rest.slice(start + PASTE_START.length);
      }
      return presses;
    },
  };
}
