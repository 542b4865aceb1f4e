import { readFile } from 'node:fs/promises';
import type { ImportItem, ImportOutcome } from '../../adapters/db/ticket-repository.js';
import { AppFailure, decodeUtf8, notUtf8Message, type Utf8Result } from '../../domain/index.js';
import { detectFormat, type ImportFormat, parseImportText } from './parse-file.js';
import type { RecordProblem } from './records.js';

/** Where imported tickets go: one call a file, all of it or nothing. */
export interface ImportTarget {
  importBatch(items: readonly ImportItem[], source: string, now: string): ImportOutcome;
}

export interface FileImportReport {
  file: string;
  format: ImportFormat | null;
  imported: string[];
  skipped: ImportOutcome['skipped'];
  problems: RecordProblem[];
}

export type ImportProgress = (event: {
  file: string;
  phase: 'reading' | 'writing';
  records?: number;
}) => void;

/**
 * Imports each file on its own: a file with any bad record writes nothing, and the others still
 * go in. Findings already present (same source hash) are skipped, so a re-run imports nothing.
 */
export async function importTicketFiles(
  files: readonly string[],
  target: ImportTarget,
  now: () => string,
  progress: ImportProgress = () => {},
): Promise<FileImportReport[]> {
  const reports: FileImportReport[] = [];
  for (const file of files) {
    progress({ file, phase: 'reading' });
    const report: FileImportReport = {
      file,
      format: null,
      imported: [],
      skipped: [],
      problems: [],
    };
    reports.push(report);
    let decoded: Utf8Result;
    try {
      // Strict: a byte that is not UTF-8 would otherwise be stored as U+FFFD, as if written so.
      decoded = decodeUtf8(await readFile(file));
    } catch (error) {
      report.problems.push({ line: 0, message: `cannot read the file (${readError(error)})` });
      continue;
    }
    if (!decoded.ok) {
      report.problems.push({ line: decoded.line, message: notUtf8Message(decoded) });
      continue;
    }
    const text = decoded.text;
    report.format = detectFormat(file, text);
    const parsed = parseImportText(file, text);
    if (!parsed.ok) {
      report.problems = parsed.problems;
      continue;
    }
    progress({ file, phase: 'writing', records: parsed.records.length });
    try {
      const outcome = target.importBatch(parsed.records, file, now());
      report.imported = outcome.imported;
      report.skipped = outcome.skipped;
    } catch (error) {
      // A record the database refuses (a key taken already) fails its file, with its line.
      if (error instanceof AppFailure && error.error.kind === 'input') {
        const { line, field, message } = error.error;
        report.problems.push({ line: line ?? 0, ...(field ? { field } : {}), message });
        continue;
      }
      throw error;
    }
  }
  return reports;
}

function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return error instanceof Error ? error.message : String(error);
}
