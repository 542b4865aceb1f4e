import { StringDecoder } from 'node:string_decoder';

/** One thing the operator did at the keyboard. */
export type Key =
  | { kind: 'text'; text: string }
  | { kind: 'paste'; text: string }
  | { kind: 'enter' }
  | { kind: 'backspace' }
  | { kind: 'escape' }
  | { kind: 'ctrl-c' }
  | { kind: 'ctrl-d' }
  | { kind: 'ctrl-u' };

const ESC = '\x1b';
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';
/** How long a lone ESC at the end of a chunk waits for the rest of a sequence. */
const ESCAPE_WAIT_MS = 40;

/**
 * Turns terminal input (raw mode, bracketed paste on) into keys. UTF-8 and escape sequences may
 * be split across chunks; a paste is buffered, however many chunks it spans, until its end
 * marker, and comes out whole with CR and CRLF turned into LF (tmux sends a pasted LF as CR).
 */
export class KeyDecoder {
  private readonly decoder = new StringDecoder('utf8');
  /** Text received but not decoded yet: the start of an escape sequence. */
  private pending = '';
  /** Inside a paste: its text so far, in parts, and the last few characters held back. */
  private paste: string[] | null = null;
  private pasteTail = '';
  private escapeTimer: NodeJS.Timeout | null = null;

  constructor(private readonly emit: (key: Key) => void) {}

  write(chunk: Buffer | string): void {
    this.clearEscapeTimer();
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    this.decode(this.pending + text);
  }

  /** Stops the escape timer (at exit). */
  dispose(): void {
    this.clearEscapeTimer();
  }

  private decode(input: string): void {
    this.pending = '';
    let text = '';
    const flushText = () => {
      if (text !== '') this.emit({ kind: 'text', text });
      text = '';
    };
    let i = 0;
    while (i < input.length) {
      if (this.paste !== null) {
        i = this.readPaste(input, i);
        continue;
      }
      const c = input[i] as string;
      if (c === ESC) {
        const end = sequenceEnd(input, i);
        if (end === -1) {
          flushText();
          this.holdBack(input.slice(i));
          return;
        }
        flushText();
        const sequence = input.slice(i, end);
        if (sequence === PASTE_START) {
          this.paste = [];
          this.pasteTail = '';
        } else if (sequence === ESC) {
          this.emit({ kind: 'escape' });
        }
        // Any other sequence (arrows, function keys, Alt+key) means nothing here.
        i = end;
        continue;
      }
      const key = controlKey(c);
      if (key !== undefined) {
        flushText();
        if (key !== null) this.emit(key);
      } else {
        text += c;
      }
      i++;
    }
    flushText();
  }

  /** Reads paste text from `input[i]` on; returns where normal input resumes. */
  private readPaste(input: string, i: number): number {
    const paste = this.paste as string[];
    const combined = this.pasteTail + input.slice(i);
    const end = combined.indexOf(PASTE_END);
    if (end === -1) {
      // The end marker may be split across chunks: hold back what could be its start.
      const keep = Math.min(combined.length, PASTE_END.length - 1);
      paste.push(combined.slice(0, combined.length - keep));
      this.pasteTail = combined.slice(combined.length - keep);
      return input.length;
    }
    paste.push(combined.slice(0, end));
    this.paste = null;
    this.pasteTail = '';
    this.emit({ kind: 'paste', text: paste.join('').replace(/\r\n?/g, '\n') });
    // What followed the end marker, in `input`'s own indices.
    return input.length - (combined.length - end - PASTE_END.length);
  }

  /** Keeps an unfinished escape sequence for the next chunk; a lone ESC becomes Escape soon. */
  private holdBack(rest: string): void {
    this.pending = rest;
    if (rest === ESC) {
      this.escapeTimer = setTimeout(() => {
        this.escapeTimer = null;
        if (this.pending === ESC) {
          this.pending = '';
          this.emit({ kind: 'escape' });
        }
      }, ESCAPE_WAIT_MS);
    }
  }

  private clearEscapeTimer(): void {
    if (this.escapeTimer !== null) clearTimeout(this.escapeTimer);
    this.escapeTimer = null;
  }
}

/**
 * Where the escape sequence at `input[start]` ends (exclusive), or -1 when the input stops
 * before it does. A lone ESC at the end of the input is unfinished; ESC ESC is Escape.
 */
function sequenceEnd(input: string, start: number): number {
  const next = input[start + 1];
  if (next === undefined) return -1;
  if (next === ESC) return start + 1;
  if (next === '[') {
    // CSI: parameter and intermediate bytes, then one final byte.
    for (let j = start + 2; j < input.length; j++) {
      const code = input.charCodeAt(j);
      if (code >= 0x40 && code <= 0x7e) return j + 1;
      if (code < 0x20 || code > 0x3f) return j; // malformed: drop what came so far
    }
    return -1;
  }
  if (next === 'O') return start + 3 <= input.length ? start + 3 : -1;
  return start + 2; // Alt+key
}

/** The key a control character stands for; null for one that means nothing; undefined for text. */
function controlKey(c: string): Key | null | undefined {
  switch (c) {
    case '\r':
    case '\n':
      return { kind: 'enter' };
    case '\x7f':
    case '\b':
      return { kind: 'backspace' };
    case '\x03':
      return { kind: 'ctrl-c' };
    case '\x04':
      return { kind: 'ctrl-d' };
    case '\x15':
      return { kind: 'ctrl-u' };
    case '\t':
      return undefined;
    default: {
      const code = c.charCodeAt(0);
      return code < 0x20 || (code >= 0x80 && code < 0xa0) ? null : undefined;
    }
  }
}
