import { displayWidth } from '../domain/display-width.js';
import { maxOf, sanitize, sanitizeLine } from '../domain/index.js';

/**
 * Text the CLI may write to the operator's terminal. The output layer (output.ts) writes nothing
 * else, and the only ways to make one are the builders below, each of which sanitises what it is
 * given: a command cannot print a runtime's name, a host's answer or a ticket's title raw by
 * forgetting a call (an agent's `ESC ] 52` would write the operator's clipboard).
 */
export class TerminalText {
  // A private member makes the type nominal: an object of the same shape is not TerminalText.
  declare private readonly nominal: never;

  private constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }

  /** Clears the screen and homes the cursor: our own sequence, the one control that is kept. */
  static readonly CLEAR_SCREEN = new TerminalText('\u001b[2J\u001b[H');

  /** See `term`. */
  static template(parts: readonly string[], values: readonly Shown[]): TerminalText {
    let text = sanitize(parts[0] ?? '');
    for (let i = 0; i < values.length; i++) {
      text += shownLine(values[i] as Shown) + sanitize(parts[i + 1] ?? '');
    }
    return new TerminalText(text);
  }

  /** See `termBlock`. */
  static block(text: string): TerminalText {
    return new TerminalText(sanitize(text));
  }

  /** See `joinTerm`. */
  static join(parts: readonly TerminalText[], separator: string): TerminalText {
    return new TerminalText(parts.map((p) => p.text).join(sanitize(separator)));
  }
}

/** What a template may show: a value of any origin, or text that is terminal text already. */
export type Shown = string | number | TerminalText;

function shownLine(value: Shown): string {
  if (value instanceof TerminalText) return value.text;
  return sanitizeLine(String(value));
}

/**
 * Terminal text from a template: each value is untrusted and shown on one line (escapes and
 * controls stripped, line breaks and tabs folded into spaces, so a value cannot forge a line of
 * the output); a value that is `TerminalText` already is kept as it is.
 */
export function term(strings: TemplateStringsArray, ...values: Shown[]): TerminalText {
  return TerminalText.template(strings, values);
}

/** Untrusted text of several lines (a message with its hint): sanitised, its lines kept. */
export function termBlock(text: string): TerminalText {
  return TerminalText.block(text);
}

export function joinTerm(parts: readonly TerminalText[], separator = ''): TerminalText {
  return TerminalText.join(parts, separator);
}

/**
 * Rows under a header, each column as wide as its widest cell (in terminal columns), two spaces
 * apart, one line a row: every cell is shown as `term` shows a value.
 */
export function termTable(
  header: readonly string[],
  rows: readonly (readonly Shown[])[],
): TerminalText {
  const cells = [header, ...rows].map((row) => row.map(shownLine));
  const widths = header.map((_, i) => maxOf(cells.map((row) => displayWidth(row[i] ?? ''))));
  const lines = cells.map((row) =>
    row
      .map((cell, i) => cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(cell))))
      .join('  ')
      .trimEnd(),
  );
  return termBlock(`${lines.join('\n')}\n`);
}
