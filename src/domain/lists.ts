/**
 * Folds over lists that can be as long as the data: spreading one into a call's arguments
 * (`Math.max(...widths)`, `out.push(...lines)`) puts every element on the stack, and past about
 * 120,000 of them V8 throws `RangeError: Maximum call stack size exceeded`. A check in the tests
 * (test/unit/no-spread-arguments.test.ts) keeps such spreads out of src/.
 */

/** The largest of `floor` and `values`. */
export function maxOf(values: Iterable<number>, floor = Number.NEGATIVE_INFINITY): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** Appends `items` to `target`, one by one; returns `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
