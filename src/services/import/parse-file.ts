/** Picks the import format of a file from its name, and its text when the name does not say. */

import { withIdentity } from './finding-identity.js';
import { parseJsonArray, parseNdjson } from './parse-json.js';
import { parseFindingsMarkdown } from './parse-markdown.js';
import { type ParseResult, stripBom } from './records.js';

export type ImportFormat = 'markdown' | 'json' | 'ndjson';

/**
 * `.md`/`.markdown` is Markdown, `.ndjson`/`.jsonl` is NDJSON, `.json` is JSON (an array, or
 * one object) unless it is really NDJSON (a first line that is a whole object, and more lines
 * after it). Any other name: a text starting with `[` is JSON, with `{` NDJSON, anything else
 * Markdown.
 */
export function detectFormat(fileName: string, text: string): ImportFormat {
  const extension = extensionOf(fileName);
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  if (extension === 'ndjson' || extension === 'jsonl') return 'ndjson';
  const first = firstNonSpace(text);
  if (extension === 'json') return first === '{' && looksLikeNdjson(text) ? 'ndjson' : 'json';
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  return 'markdown';
}

/** The file's records, each with its identity: its own source hash, or one made from its content. */
export function parseImportText(fileName: string, text: string): ParseResult {
  const parsed = parseByFormat(fileName, text);
  return parsed.ok ? { ok: true, records: withIdentity(parsed.records) } : parsed;
}

function parseByFormat(fileName: string, text: string): ParseResult {
  switch (detectFormat(fileName, text)) {
    case 'markdown':
      return parseFindingsMarkdown(text);
    case 'json':
      return parseJsonArray(text);
    case 'ndjson':
      return parseNdjson(text);
  }
}

function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function firstNonSpace(text: string): string | undefined {
  const source = stripBom(text);
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c.trim() !== '') return c;
  }
  return undefined;
}

/**
 * More than one line of objects: the first non-blank line is a complete `{…}` on its own and
 * another non-blank line starting with `{` follows. A pretty-printed single object starts with
 * a line holding just `{`, so it stays JSON (one ticket).
 */
function looksLikeNdjson(text: string): boolean {
  let objectLines = 0;
  let from = 0;
  const source = stripBom(text);
  while (from <= source.length && objectLines < 2) {
    let to = source.indexOf('\n', from);
    if (to === -1) to = source.length;
    const line = source.slice(from, to).trim();
    from = to + 1;
    if (line === '') continue;
    if (!line.startsWith('{')) return false;
    if (objectLines === 0 && !line.endsWith('}')) return false;
    objectLines++;
  }
  return objectLines >= 2;
}
