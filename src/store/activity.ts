import { runtimeRefKey } from '../domain/index.js';

/**
 * How busy each runtime has been lately, for the runtimes table's sparkline: per `host:id`, how
 * many times its `lastActivityAt` moved in each of the last few time buckets.
 *
 * Telling "moved since the last call" needs the value seen at the last call, and shifting the
 * buckets as time passes needs to know which bucket they end at: hence `seen` and `bucket`
 * beside the counts, rather than the counts alone.
 */
export interface ActivityHistory {
  /** Per `host:id`: changes per bucket, oldest first; the last is bucket number `bucket`. */
  readonly counts: Readonly<Record<string, number[]>>;
  /** Per `host:id`: the `lastActivityAt` seen at the last call. */
  readonly seen: Readonly<Record<string, string>>;
  /** floor(ms / bucketMs) of the newest bucket; -Infinity before any runtime was seen. */
  readonly bucket: number;
}

export const EMPTY_ACTIVITY: ActivityHistory = Object.freeze({
  counts: Object.freeze({}),
  seen: Object.freeze({}),
  bucket: Number.NEGATIVE_INFINITY,
});

export interface ActivitySource {
  host: string;
  id: string;
  lastActivityAt: string;
}

/**
 * The history after looking at `runtimes` at `nowMs`: buckets that time has passed by are shifted
 * out, a runtime whose `lastActivityAt` differs from the one last seen counts 1 in the current
 * bucket, and runtimes no longer listed are forgotten. A runtime seen for the first time counts
 * nothing: there is no earlier value for it to have moved from.
 *
 * Pure. Returns `history` itself when nothing a caller could see changed, so React and zustand
 * can skip the re-render; unchanged rows keep their array identity for the same reason.
 */
export function recordActivity(
  history: ActivityHistory,
  runtimes: readonly ActivitySource[],
  nowMs: number,
  bucketMs = 10_000,
  buckets = 12,
): ActivityHistory {
  const size = Math.max(1, Math.floor(buckets));
  const now = Number.isFinite(nowMs) ? Math.floor(nowMs / Math.max(1, bucketMs)) : history.bucket;
  // A clock stepped backwards must not shift history the wrong way: stay in the newest bucket.
  const bucket = Math.max(history.bucket, now);
  const shift = bucket - history.bucket;

  const counts: Record<string, number[]> = {};
  const seen: Record<string, string> = {};
  let changed = false;
  for (const runtime of runtimes) {
    const key = runtimeRefKey(runtime);
    if (Object.hasOwn(counts, key)) continue; // listed twice: the first listing counts
    const before = Object.hasOwn(history.counts, key) ? history.counts[key] : undefined;
    const last = Object.hasOwn(history.seen, key) ? history.seen[key] : undefined;
    const row = shifted(before ?? [], shift, size);
    if (last !== undefined && last !== runtime.lastActivityAt) {
      row[size - 1] = (row[size - 1] ?? 0) + 1;
    }
    const same = before !== undefined && sameNumbers(before, row);
    counts[key] = same ? before : row;
    seen[key] = runtime.lastActivityAt;
    if (!same || last !== runtime.lastActivityAt) changed = true;
  }
  // Rows that shifted into all zeros compare equal, and then which bucket they end at no longer
  // matters: returning the old history (with its older `bucket`) is still exact.
  if (!changed && Object.keys(history.counts).length === Object.keys(counts).length) return history;
  return { counts, seen, bucket };
}

/** `row` (ending at the old bucket) moved `shift` buckets on, as `size` buckets. */
function shifted(row: readonly number[], shift: number, size: number): number[] {
  const out = new Array<number>(size).fill(0);
  for (let i = 0; i < row.length; i++) {
    const at = size - 1 - shift - (row.length - 1 - i);
    if (at >= 0 && at < size) out[at] = row[i] ?? 0;
  }
  return out;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
