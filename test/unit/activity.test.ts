import { describe, expect, it } from 'vitest';
import {
  type ActivityHistory,
  type ActivitySource,
  EMPTY_ACTIVITY,
  recordActivity,
} from '../../src/store/activity.js';
import { deepFreeze } from './helpers/tickets.js';

const BUCKET = 10_000;
/** The start of a bucket, so `at(n)` and `at(n) + 9_999` fall in the same one. */
const T = 1_800_000_000_000;
const at = (bucketsLater: number, ms = 0) => T + bucketsLater * BUCKET + ms;
const rt = (id: string, lastActivityAt: string, host = 'h1'): ActivitySource => ({
  host,
  id,
  lastActivityAt,
});

/** Runs calls in order from the empty history, each input frozen so any mutation throws. */
function run(calls: [readonly ActivitySource[], number][], buckets = 4): ActivityHistory {
  let history = EMPTY_ACTIVITY;
  for (const [runtimes, now] of calls) {
    history = recordActivity(deepFreeze(history), deepFreeze(runtimes), now, BUCKET, buckets);
  }
  return history;
}

describe('recordActivity', () => {
  it('counts nothing for a runtime seen for the first time', () => {
    const history = run([[[rt('a', 'x1')], at(0)]]);
    expect(history.counts).toEqual({ 'h1:a': [0, 0, 0, 0] });
    expect(history.seen).toEqual({ 'h1:a': 'x1' });
  });

  it('counts each move of lastActivityAt in the current bucket', () => {
    const history = run([
      [[rt('a', 'x1')], at(0)],
      [[rt('a', 'x2')], at(0, 1000)],
      [[rt('a', 'x3')], at(0, 2000)],
      [[rt('a', 'x3')], at(0, 3000)], // unchanged: not counted
    ]);
    expect(history.counts['h1:a']).toEqual([0, 0, 0, 2]);
  });

  it('returns the same object when nothing moved in the same bucket', () => {
    const first = run([[[rt('a', 'x1'), rt('b', 'y1')], at(0)]]);
    const again = recordActivity(first, [rt('a', 'x1'), rt('b', 'y1')], at(0, 5000), BUCKET, 4);
    expect(again).toBe(first);
  });

  it('shifts older buckets left as time passes', () => {
    const history = run([
      [[rt('a', 'x1')], at(0)],
      [[rt('a', 'x2')], at(0, 1)],
      [[rt('a', 'x3')], at(1)],
      [[rt('a', 'x4')], at(1, 1)],
      [[rt('a', 'x4')], at(3)],
    ]);
    expect(history.counts['h1:a']).toEqual([1, 2, 0, 0]);
  });

  it('forgets counts older than the window', () => {
    const history = run([
      [[rt('a', 'x1')], at(0)],
      [[rt('a', 'x2')], at(0, 1)],
      [[rt('a', 'x2')], at(40)],
    ]);
    expect(history.counts['h1:a']).toEqual([0, 0, 0, 0]);
  });

  it('returns the same object when only empty buckets would shift', () => {
    const quiet = run([[[rt('a', 'x1')], at(0)]]);
    expect(recordActivity(quiet, [rt('a', 'x1')], at(7), BUCKET, 4)).toBe(quiet);
    // ...and that stays exact: a later move still lands in the newest bucket.
    const later = recordActivity(quiet, [rt('a', 'x2')], at(9), BUCKET, 4);
    expect(later.counts['h1:a']).toEqual([0, 0, 0, 1]);
  });

  it('keeps the array of a runtime that did not change', () => {
    const before = run([[[rt('a', 'x1'), rt('b', 'y1')], at(0)]]);
    const after = recordActivity(before, [rt('a', 'x2'), rt('b', 'y1')], at(0, 1), BUCKET, 4);
    expect(after).not.toBe(before);
    expect(after.counts['h1:b']).toBe(before.counts['h1:b']);
    expect(after.counts['h1:a']).toEqual([0, 0, 0, 1]);
  });

  it('forgets runtimes no longer listed', () => {
    const before = run([[[rt('a', 'x1'), rt('b', 'y1')], at(0)]]);
    const after = recordActivity(before, [rt('a', 'x1')], at(0), BUCKET, 4);
    expect(Object.keys(after.counts)).toEqual(['h1:a']);
    expect(Object.keys(after.seen)).toEqual(['h1:a']);
  });

  it('keeps runtimes with the same id on different hosts apart', () => {
    const history = run([
      [[rt('a', 'x1', 'h1'), rt('a', 'x1', 'h2')], at(0)],
      [[rt('a', 'x2', 'h1'), rt('a', 'x1', 'h2')], at(0, 1)],
    ]);
    expect(history.counts['h1:a']).toEqual([0, 0, 0, 1]);
    expect(history.counts['h2:a']).toEqual([0, 0, 0, 0]);
  });

  it('does not shift backwards when the clock steps back', () => {
    const history = run([
      [[rt('a', 'x1')], at(5)],
      [[rt('a', 'x2')], at(5, 1)],
      [[rt('a', 'x3')], at(2)],
    ]);
    expect(history.counts['h1:a']).toEqual([0, 0, 0, 2]);
  });

  it('uses the default of twelve 10-second buckets', () => {
    const first = recordActivity(EMPTY_ACTIVITY, [rt('a', 'x1')], at(0));
    const moved = recordActivity(first, [rt('a', 'x2')], at(0, 9_999));
    const next = recordActivity(moved, [rt('a', 'x3')], at(1));
    expect(next.counts['h1:a']).toHaveLength(12);
    expect(next.counts['h1:a']?.slice(-2)).toEqual([1, 1]);
  });

  it('resizes rows when the number of buckets changes, keeping the newest', () => {
    const history = run([
      [[rt('a', 'x1')], at(0)],
      [[rt('a', 'x2')], at(0, 1)],
    ]);
    expect(recordActivity(history, [rt('a', 'x2')], at(0, 2), BUCKET, 2).counts['h1:a']).toEqual([
      0, 1,
    ]);
    expect(recordActivity(history, [rt('a', 'x2')], at(0, 2), BUCKET, 6).counts['h1:a']).toEqual([
      0, 0, 0, 0, 0, 1,
    ]);
  });
});
