/**
 * JSON imports: a JSON array of ticket objects (what `tickets list --json` prints), a single
 * ticket object (what `tickets show --json` prints), or NDJSON, one object per line. Every record carries the line it starts on, so problems point at it.
 */

import { duplicateKeys } from './json-keys.js';
import {
  describeValue,
  draftFromObject,
  fieldLabel,
  finish,
  lineLocator,
  MAX_PROBLEMS,
  type ParsedRecord,
  type ParseResult,
  ProblemList,
  type RecordProblem,
  splitLines,
  stripBom,
} from './records.js';

export function parseJsonArray(text: string): ParseResult {
  const source = stripBom(text);
  const problems = new ProblemList();
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.add({ line: syntaxErrorLine(source, message), message: jsonErrorMessage(message) });
    return finish([], problems);
  }
  const lineOf = lineLocator(source);
  if (!Array.isArray(value)) {
    if (typeof value !== 'object' || value === null) {
      problems.add({ line: 1, message: 'expected a JSON array of tickets, or one ticket object' });
      return finish([], problems);
    }
    // One object is one ticket, starting where its `{` is.
    const line = lineOf(source.indexOf('{'));
    const result = draftFromObject(value, line);
    if (!result.ok) problems.addAll(result.problems);
    const records = result.ok ? [{ line, draft: result.draft }] : [];
    return withDuplicateKeys(finish(records, problems), source, lineOf);
  }

  const starts = topLevelElementStarts(source);
  const records: ParsedRecord[] = [];
  for (let index = 0; index < value.length && !problems.full; index++) {
    const start = starts[index];
    const line = start === undefined ? 1 : lineOf(start);
    const result = draftFromObject(value[index], line);
    if (result.ok) records.push({ line, draft: result.draft });
    else problems.addAll(result.problems);
  }
  return withDuplicateKeys(finish(records, problems), source, lineOf);
}

export function parseNdjson(text: string): ParseResult {
  const lines = splitLines(stripBom(text));
  const problems = new ProblemList();
  const records: ParsedRecord[] = [];
  for (let index = 0; index < lines.length && !problems.full; index++) {
    const content = lines[index] ?? '';
    if (content.trim() === '') continue;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.add({ line, message: jsonErrorMessage(message) });
      continue;
    }
    for (const duplicate of duplicateKeys(content, MAX_PROBLEMS)) {
      problems.add(duplicateKeyProblem(duplicate.key, line, line));
    }
    const result = draftFromObject(value, line);
    if (result.ok) records.push({ line, draft: result.draft });
    else problems.addAll(result.problems);
  }
  return finish(records, problems);
}

/**
 * The file's problems with a problem for each key given twice in one object (which `JSON.parse`
 * would have read as given once), in the order of their lines, at most `MAX_PROBLEMS`.
 */
function withDuplicateKeys(
  result: ParseResult,
  source: string,
  lineOf: (offset: number) => number,
): ParseResult {
  const duplicates = duplicateKeys(source, MAX_PROBLEMS).map((d) =>
    duplicateKeyProblem(d.key, lineOf(d.at), lineOf(d.firstAt)),
  );
  if (duplicates.length === 0) return result;
  const problems = result.ok ? [] : result.problems;
  const all = [...problems, ...duplicates].sort((a, b) => a.line - b.line);
  return { ok: false, problems: all.slice(0, MAX_PROBLEMS) };
}

function duplicateKeyProblem(key: string, line: number, firstLine: number): RecordProblem {
  const first = firstLine === line ? 'earlier on this line' : `first on line ${firstLine}`;
  return {
    line,
    field: fieldLabel(key),
    message: `the key ${describeValue(key)} is given twice in one object (${first}); give it once`,
  };
}

/**
 * The engine's message without the piece of the input it may quote (`Unexpected token 'x',
 * "…" is not valid JSON`): the problem already says the line, and the input is untrusted.
 */
function jsonErrorMessage(message: string): string {
  return `invalid JSON: ${message.replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '')}`;
}

/**
 * Offsets where the elements of the top-level array start. Only called on text that parsed,
 * so a single pass tracking strings, escapes and nesting depth is enough.
 */
function topLevelElementStarts(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (isJsonSpace(c)) continue;
    if (depth === 1) {
      if (c === COMMA) {
        expectingElement = true;
        continue;
      }
      if (expectingElement && c !== CLOSE_BRACKET) {
        starts.push(i);
        expectingElement = false;
      }
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
      if (depth === 0) break;
    }
  }
  return starts;
}

/**
 * The line of a JSON syntax error: from Node's message when it says where (`at position N`,
 * newer engines also `(line L column C)`), else found by scanning the text, else line 1.
 */
function syntaxErrorLine(text: string, message: string): number {
  const lineColumn = /\(line (\d+) column \d+\)/.exec(message);
  if (lineColumn?.[1] !== undefined) return Number(lineColumn[1]);
  const position = /at position (\d+)/.exec(message);
  const offset = position?.[1] !== undefined ? Number(position[1]) : locateJsonError(text);
  if (offset === undefined) return 1;
  // Running out of input is reported where the input ends, not on a trailing empty line.
  let at = Math.min(offset, text.length);
  if (at >= text.length) {
    at = text.length - 1;
    while (at > 0 && isJsonSpace(text.charCodeAt(at))) at--;
  }
  return lineLocator(text)(Math.max(at, 0));
}

const EXPECT_VALUE = 0;
const EXPECT_KEY = 1;
const EXPECT_AFTER_VALUE = 2;

/**
 * Offset of the first JSON syntax error, or undefined when the text is valid JSON. Iterative
 * (deep nesting cannot overflow the stack) and linear; used only when the engine's message
 * gives no position.
 */
function locateJsonError(text: string): number | undefined {
  const n = text.length;
  const containers: number[] = []; // OPEN_BRACKET or OPEN_BRACE
  let i = 0;
  let expect: number = EXPECT_VALUE;
  for (;;) {
    while (i < n && isJsonSpace(text.charCodeAt(i))) i++;
    if (expect === EXPECT_AFTER_VALUE) {
      const top = containers[containers.length - 1];
      if (top === undefined) return i < n ? i : undefined;
      if (i >= n) return n;
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        expect = top === OPEN_BRACE ? EXPECT_KEY : EXPECT_VALUE;
      } else if (
        (top === OPEN_BRACKET && c === CLOSE_BRACKET) ||
        (top === OPEN_BRACE && c === CLOSE_BRACE)
      ) {
        i++;
        containers.pop();
      } else {
        return i;
      }
      continue;
    }
    if (i >= n) return n;
    const c = text.charCodeAt(i);
    if (expect === EXPECT_KEY) {
      if (c !== QUOTE) return i;
      const end = scanString(text, i);
      if (end < 0) return -end - 1;
      i = end;
      while (i < n && isJsonSpace(text.charCodeAt(i))) i++;
      if (i >= n) return n;
      if (text.charCodeAt(i) !== COLON) return i;
      i++;
      expect = EXPECT_VALUE;
      continue;
    }
    // EXPECT_VALUE
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i++;
      while (i < n && isJsonSpace(text.charCodeAt(i))) i++;
      const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      if (i < n && text.charCodeAt(i) === close) {
        i++;
        expect = EXPECT_AFTER_VALUE;
      } else {
        containers.push(c);
        expect = c === OPEN_BRACE ? EXPECT_KEY : EXPECT_VALUE;
      }
      continue;
    }
    let end: number;
    if (c === QUOTE) end = scanString(text, i);
    else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) end = scanNumber(text, i);
    else end = scanLiteral(text, i);
    if (end < 0) return -end - 1;
    i = end;
    expect = EXPECT_AFTER_VALUE;
  }
}

// The scanners return the offset after the token, or -(offset of the error) - 1.

function scanString(text: string, start: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -i - 1;
    if (c === BACKSLASH) {
      const escaped = text[i + 1];
      if (escaped === undefined) return -n - 1;
      if (escaped === 'u') {
        for (let k = i + 2; k < i + 6; k++) {
          if (!/[0-9a-fA-F]/.test(text[k] ?? '')) return -Math.min(k, n) - 1;
        }
        i += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(escaped)) return -(i + 1) - 1;
      i += 2;
      continue;
    }
    i++;
  }
  return -n - 1;
}

function scanNumber(text: string, start: number): number {
  const n = text.length;
  let i = start;
  const isDigit = (at: number) => {
    const c = text.charCodeAt(at);
    return c >= DIGIT_0 && c <= DIGIT_9;
  };
  if (text.charCodeAt(i) === MINUS) i++;
  if (i >= n || !isDigit(i)) return -Math.min(i, n) - 1;
  if (text.charCodeAt(i) === DIGIT_0) i++;
  else while (i < n && isDigit(i)) i++;
  if (text[i] === '.') {
    i++;
    if (i >= n || !isDigit(i)) return -Math.min(i, n) - 1;
    while (i < n && isDigit(i)) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (i >= n || !isDigit(i)) return -Math.min(i, n) - 1;
    while (i < n && isDigit(i)) i++;
  }
  return i;
}

function scanLiteral(text: string, start: number): number {
  for (const literal of ['true', 'false', 'null']) {
    if (text[start] !== literal[0]) continue;
    for (let k = 1; k < literal.length; k++) {
      if (text[start + k] !== literal[k]) return -Math.min(start + k, text.length) - 1;
    }
    return start + literal.length;
  }
  return -start - 1;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
