import { isMap, LineCounter, parseDocument } from 'yaml';
import { AppFailure } from '../domain/index.js';
import { CONFIG_KEYS, type Config, ConfigSchema } from './config.js';

/** Parses and checks the config text; a failure names the file, the line and the key. */
export function parseConfig(file: string, text: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const [syntax] = doc.errors;
  if (syntax) {
    throw new AppFailure({
      kind: 'config',
      file,
      line: lineCounter.linePos(syntax.pos[0]).line,
      message: `not valid YAML: ${syntax.message.split('\n')[0]}`,
    });
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new AppFailure({
      kind: 'config',
      file,
      line: 1,
      message: 'expected a mapping of settings (key: value)',
    });
  }
  const result = ConfigSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const key = unknownKey ?? issue?.path.map(String).join('.') ?? '';
  const message =
    unknownKey !== undefined
      ? `unknown setting; known: ${CONFIG_KEYS.join(', ')}`
      : (issue?.message ?? 'invalid');
  return fail(file, key, message, keyLine(doc, lineCounter, key));
}

function fail(file: string, key: string, message: string, line: number | undefined): never {
  throw new AppFailure({
    kind: 'config',
    file,
    key,
    message,
    ...(line !== undefined ? { line } : {}),
  });
}

function keyLine(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  key: string,
): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  // The value's own line where the path reaches a node, else its top-level key's line.
  const node = doc.getIn(key.split('.'), true) as { range?: [number, number] } | undefined;
  if (node?.range) return lineCounter.linePos(node.range[0]).line;
  const top = key.split('.')[0];
  for (const pair of doc.contents.items) {
    const node = pair.key as { value?: unknown; range?: [number, number] } | null;
    if (node?.value === top && node?.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
