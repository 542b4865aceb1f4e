import { readFileSync } from 'node:fs';

/**
 * An asciicast v2 file as written so far: the header and the events of its complete lines (a
 * line still being written is left out), each line parsed as JSON.
 */
export function readCast(file: string): {
  header: Record<string, unknown>;
  events: unknown[][];
  /** The text of the output events, joined. */
  output: string;
  /** Whether the file ends with a complete line. */
  complete: boolean;
} {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  lines.pop(); // after the last LF: '' or a partial line
  const [first, ...rest] = lines;
  const events = rest.map((line) => JSON.parse(line) as unknown[]);
  const output = events
    .filter((event) => event[1] === 'o')
    .map((event) => String(event[2]))
    .join('');
  return { header: first === undefined ? {} : JSON.parse(first), events, output, complete };
}
