/** Worker thread: reads one range of the ticket listing as JSON and hands the bytes over. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { jsonFragments, type WorkerMessage, type WorkerRequest } from './ticket-json-reader.js';

const { file, range, state } = workerData as WorkerRequest;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
  parentPort?.postMessage(message, transfer);

try {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('mmap_size = 268435456');
  for (const fragment of jsonFragments(db, range, state)) {
    // A fragment owns its memory (Buffer.concat of a megabyte is never pooled): move, not copy.
    const bytes =
      fragment.byteOffset === 0 && fragment.byteLength === fragment.buffer.byteLength
        ? (fragment.buffer as ArrayBuffer)
        : (fragment.buffer.slice(
            fragment.byteOffset,
            fragment.byteOffset + fragment.byteLength,
          ) as ArrayBuffer);
    post({ type: 'fragment', bytes }, [bytes]);
  }
  db.close();
  post({ type: 'done' });
} catch (error) {
  const code = (error as { code?: unknown }).code;
  post({
    type: 'failed',
    code: typeof code === 'string' ? code : null,
    message: (error as Error).message,
  });
}
