/**
 * Every failure the operator can meet, as a tagged union: what happened, where, and what to do.
 * Layers throw `AppFailure` carrying one of these; the CLI and the UI render them.
 */

export interface InputLocation {
  file?: string;
  line?: number;
  field?: string;
}

/** One problem of a config file; a file with several carries them all (the first in front). */
export interface ConfigProblem {
  line?: number;
  key?: string;
  message: string;
}

export type DatabaseProblem =
  | 'corrupt'
  | 'locked'
  | 'readonly'
  | 'full'
  | 'schema'
  | 'too_new'
  | 'unopenable';

export type AppError =
  | { kind: 'usage'; message: string; hint?: string }
  | ({ kind: 'input'; message: string; hint?: string } & InputLocation)
  | ({ kind: 'config'; file: string; hint?: string; problems?: ConfigProblem[] } & ConfigProblem)
  | { kind: 'not_found'; message: string; hint?: string }
  | { kind: 'conflict'; message: string; hint?: string }
  | { kind: 'database'; problem: DatabaseProblem; file: string; message: string; hint: string };

export class AppFailure extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(error.message);
    this.name = 'AppFailure';
    this.error = error;
  }
}

export function fail(error: AppError): never {
  throw new AppFailure(error);
}

/** `file:line: field: message`, the form editors and terminals make clickable. */
export function formatLocation(location: InputLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) {
    parts.push(location.line !== undefined ? `${location.file}:${location.line}` : location.file);
  } else if (location.line !== undefined) {
    parts.push(`line ${location.line}`);
  }
  if (location.field !== undefined) parts.push(location.field);
  return parts.join(': ');
}

export function formatAppError(error: AppError): string {
  if (error.kind === 'config' && error.problems && error.problems.length > 1) {
    const lines = error.problems.map(
      (p) => `  ${formatLocation({ file: error.file, line: p.line, field: p.key })}: ${p.message}`,
    );
    const head = `${error.file}: ${error.problems.length} problems`;
    return [head, ...lines, ...(error.hint ? [`  ${error.hint}`] : [])].join('\n');
  }
  let where = '';
  if (error.kind === 'input') where = formatLocation(error);
  else if (error.kind === 'config') {
    where = formatLocation({ file: error.file, line: error.line, field: error.key });
  } else if (error.kind === 'database') where = error.file;
  const head = where ? `${where}: ${error.message}` : error.message;
  return error.hint ? `${head}\n  ${error.hint}` : head;
}

/** Bad usage and bad input exit 2 (`cli.md`); anything else that failed exits 1. */
export function exitCodeFor(error: AppError): number {
  return error.kind === 'usage' || error.kind === 'input' ? 2 : 1;
}
