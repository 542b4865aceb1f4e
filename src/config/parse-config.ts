import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
} from 'yaml';
import { AppFailure, appendAll, type ConfigProblem } from '../domain/index.js';
import { type Config, ConfigSchema } from './config.js';

/** A problem a check found, at a path of keys (and list indexes) from the top of the file. */
export interface ConfigIssue {
  path: readonly (string | number)[];
  message: string;
  /** The last key of the path is itself the problem: its line is the key's. */
  unknownKey?: boolean;
}

/**
 * A check the schema cannot make alone (the keys against the screen's command table). It sees
 * the settings that are valid on their own, and none that are not.
 */
export type ConfigCheck = (config: Partial<Config>) => ConfigIssue[];

/** YAML's own bound on aliases, against a small file that expands to gigabytes. */
const MAX_ALIASES = 100;

/**
 * Parses and checks the config text. Every problem is reported at once, each with its line and
 * key; a YAML syntax error stops there (what follows it cannot be read reliably).
 */
export function parseConfig(
  file: string,
  text: string,
  checks: readonly ConfigCheck[] = [],
): Config {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw configFailure(
      file,
      doc.errors.map((e) => ({
        line: lineAt(e.pos[0]),
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw configFailure(file, [
      { line: 1, message: 'expected a mapping of settings (key: value)' },
    ]);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw configFailure(file, [
      {
        line: firstAliasLine(doc, lineAt),
        message: `its aliases expand past YAML's limit of ${MAX_ALIASES} (an alias bomb?); write the values out`,
      },
    ]);
  }
  const result = ConfigSchema.safeParse(raw);
  const issues = result.success ? [] : result.error.issues.flatMap(issuesOf);
  const partial = result.success ? result.data : validOnTheirOwn(raw);
  appendAll(
    issues,
    checks.flatMap((check) => check(partial)),
  );
  if (result.success && issues.length === 0) return result.data;
  const problems = issues.map((issue): ConfigProblem => {
    const line = lineOf(doc, issue, lineAt);
    const key = issue.path.map(String).join('.');
    return {
      ...(line !== undefined ? { line } : {}),
      ...(key ? { key } : {}),
      message: issue.message,
    };
  });
  throw configFailure(
    file,
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  );
}

function configFailure(file: string, problems: ConfigProblem[]): AppFailure {
  const [first] = problems as [ConfigProblem, ...ConfigProblem[]];
  return new AppFailure({
    kind: 'config',
    file,
    ...first,
    ...(problems.length > 1 ? { problems } : {}),
  });
}

type SchemaIssue = ReturnType<typeof ConfigSchema.safeParse>['error'] extends infer E
  ? E extends { issues: (infer I)[] }
    ? I
    : never
  : never;

/** One zod issue as ours: an unknown key names the keys known at its own level. */
function issuesOf(issue: SchemaIssue): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path).join(', ');
    return issue.keys.map((key) => ({
      path: [...issue.path, key].map(pathSegment),
      message: `unknown setting; known: ${known}`,
      unknownKey: true,
    }));
  }
  const message =
    issue.message === 'Invalid input' && issue.code === 'invalid_type'
      ? `expected ${issue.expected}`
      : issue.message;
  return [{ path: issue.path.map(pathSegment), message }];
}

const pathSegment = (segment: PropertyKey) =>
  typeof segment === 'number' ? segment : String(segment);

/** The top-level settings that pass the schema each on its own, for the other checks. */
function validOnTheirOwn(raw: unknown): Partial<Config> {
  if (typeof raw !== 'object' || raw === null) return {};
  const valid: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(ConfigSchema.shape)) {
    const one = schema.safeParse((raw as Record<string, unknown>)[key]);
    if (one.success) valid[key] = one.data;
  }
  return valid as Partial<Config>;
}

/** Just what is read of zod's schema tree to name the keys a level knows. */
interface SchemaNode {
  _zod: {
    def: {
      type: string;
      innerType?: SchemaNode;
      shape?: Record<string, SchemaNode>;
      valueType?: SchemaNode;
    };
  };
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const unwrap = (node: SchemaNode | undefined): SchemaNode | undefined => {
    let current = node;
    while (current?._zod.def.innerType) current = current._zod.def.innerType;
    return current;
  };
  let node = unwrap(ConfigSchema as unknown as SchemaNode);
  for (const segment of path) {
    const def = node?._zod.def;
    node = unwrap(def?.shape ? def.shape[String(segment)] : def?.valueType);
  }
  return Object.keys(node?._zod.def.shape ?? {});
}

/**
 * The line of what a path names: the value's own line where the path reaches a node (the key's
 * line for an unknown key), else the line of the deepest key on the way there.
 */
function lineOf(
  doc: Document,
  issue: ConfigIssue,
  lineAt: (offset: number) => number,
): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const [i, segment] of issue.path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) break;
      const keyRange = (pair.key as { range?: [number, number] } | null)?.range;
      if (keyRange) line = lineAt(keyRange[0]);
      if (issue.unknownKey && i === issue.path.length - 1) return line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else break;
    const range = (node as { range?: [number, number] } | null)?.range;
    if (range) line = lineAt(range[0]);
  }
  return line;
}

function firstAliasLine(doc: Document, lineAt: (offset: number) => number): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) line = lineAt(node.range[0]);
      return visit.BREAK;
    },
  });
  return line;
}
