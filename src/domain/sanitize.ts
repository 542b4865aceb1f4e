/**
 * Untrusted text (ticket fields, pane content, host answers, file names) must never reach a
 * terminal raw: an escape sequence can move the cursor, retitle the window, write the clipboard
 * (OSC 52) or hide text; bidi overrides can make code read differently from how it runs.
 */

// String sequences (OSC, DCS, SOS, PM, APC; 7-bit and 8-bit introducers) run to ST, BEL,
// CAN/SUB, or, unterminated, to the end: a terminal would swallow that much anyway.
// The patterns are exported as sources for screen-text.ts, which keeps SGR and drops the rest.
export const STRING_SEQUENCE =
  '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[\\s\\S]*?(?:\\x07|\\x1b\\\\|\\x9c|[\\x18\\x1a]|$)';
export const CSI_SEQUENCE = '(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]';
// Any other escape: ESC, intermediates, a final byte (charset selection, ESC c, ESC 7, ...).
export const OTHER_ESCAPE = '\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]';
// C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates.
export const LONE_CONTROL = '[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]';

const UNSAFE = new RegExp(
  `${STRING_SEQUENCE}|${CSI_SEQUENCE}|${OTHER_ESCAPE}|${LONE_CONTROL}`,
  'g',
);
const ANY_UNSAFE_CHAR = new RegExp(LONE_CONTROL);

/** Removes every terminal control sequence and unsafe character; keeps all printable Unicode. */
export function sanitize(text: string): string {
  // Most text is clean; skip the replace (and its copy) for it.
  if (!ANY_UNSAFE_CHAR.test(text)) return text;
  return text.replace(UNSAFE, '');
}

/** For one-line cells: sanitised, with line breaks and tabs folded into single spaces. */
export function sanitizeLine(text: string): string {
  return sanitize(text).replace(/[\t\n]+/g, ' ');
}
