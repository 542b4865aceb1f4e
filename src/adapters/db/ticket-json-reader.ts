import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { TicketState } from '../../domain/index.js';
import type { Db } from './database.js';
import { databaseFailure, translateDatabaseError } from './db-errors.js';
import { TICKET_JSON_RANGE } from './ticket-json.js';

/** A slice of the listing: tickets with `after < seq <= upTo`, newest first. */
export interface SeqRange {
  after: number;
  upTo: number;
}

const SEPARATOR = Buffer.from(',\n');
const FRAGMENT_BYTES = 1 << 20;

/**
 * Tickets of one range as JSON fragments: each fragment is whole tickets' JSON joined by ",\n",
 * about a megabyte, ready to write.
 */
export function* jsonFragments(
  db: Db,
  range: SeqRange,
  state: TicketState | null,
): Generator<Buffer> {
  const rows = db
    .prepare(TICKET_JSON_RANGE)
    .pluck()
    .iterate({ ...range, state }) as IterableIterator<Buffer>;
  let parts: Buffer[] = [];
  let bytes = 0;
  for (const json of rows) {
    if (parts.length > 0) parts.push(SEPARATOR);
    parts.push(json);
    bytes += json.length;
    if (bytes >= FRAGMENT_BYTES) {
      yield Buffer.concat(parts);
      parts = [];
      bytes = 0;
    }
  }
  if (parts.length > 0) yield Buffer.concat(parts);
}

/** Below this many tickets a second reader costs more than it saves. */
const PARALLEL_FROM = 20_000;

/**
 * The whole listing as JSON fragments, newest first. A large one is read by two worker threads,
 * each on its own read-only connection building half the JSON (SQLite does that work, and it is
 * most of the time), while this thread writes out what is ready.
 */
export async function* listJsonFragments(
  db: Db,
  file: string,
  state: TicketState | null,
): AsyncGenerator<Buffer> {
  try {
    const { count, top } = db
      .prepare('SELECT count(*) AS count, coalesce(max(seq), 0) AS top FROM tickets')
      .get() as { count: number; top: number };
    const worker = workerFile();
    if (count < PARALLEL_FROM || worker === null) {
      yield* jsonFragments(db, { after: 0, upTo: top }, state);
      return;
    }
    const middle = (
      db
        .prepare('SELECT seq FROM tickets ORDER BY seq DESC LIMIT 1 OFFSET ?')
        .get(Math.floor(count / 2)) as { seq: number }
    ).seq;
    const readers = [
      readInWorker(worker, file, { after: middle, upTo: top }, state),
      readInWorker(worker, file, { after: 0, upTo: middle }, state),
    ];
    for (const reader of readers) yield* reader;
  } catch (error) {
    throw translateDatabaseError(file, error);
  }
}

function workerFile(): string | null {
  // Bundled, the worker sits beside this code in dist/; from source (tests) there is none.
  const file = fileURLToPath(new URL('./json-worker.js', import.meta.url));
  return existsSync(file) ? file : null;
}

export interface WorkerRequest {
  file: string;
  range: SeqRange;
  state: TicketState | null;
}

export type WorkerMessage =
  | { type: 'fragment'; bytes: ArrayBuffer }
  | { type: 'done' }
  | { type: 'failed'; code: string | null; message: string };

/** Starts reading at once; fragments queue until the caller takes them, in order. */
function readInWorker(
  workerPath: string,
  file: string,
  range: SeqRange,
  state: TicketState | null,
): AsyncGenerator<Buffer> {
  const request: WorkerRequest = { file, range, state };
  const worker = new Worker(workerPath, { workerData: request });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (message: WorkerMessage) => {
    queue.push(message);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (error) => push({ type: 'failed', code: null, message: error.message }));
  worker.on('exit', (code) => {
    if (code !== 0) push({ type: 'failed', code: null, message: `reader exited with ${code}` });
  });
  return (async function* () {
    try {
      for (;;) {
        const message = queue.shift();
        if (!message) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        if (message.type === 'done') return;
        if (message.type === 'failed') {
          // The worker's SQLite error, as if this thread had met it (a damaged file, say).
          throw message.code?.startsWith('SQLITE')
            ? translateDatabaseError(file, new Database.SqliteError(message.message, message.code))
            : databaseFailure(file, 'unopenable', message.message);
        }
        yield Buffer.from(message.bytes);
      }
    } finally {
      void worker.terminate();
    }
  })();
}
