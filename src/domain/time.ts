/** Timestamps are UTC ISO-8601 to the second, as in the contract's examples. */
export function toIso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function isoNow(): string {
  return toIso(new Date());
}
