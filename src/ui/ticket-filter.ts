import type { Ticket } from '../domain/index.js';

/**
 * The live filter: a ticket matches when the query's characters appear in order in its key and
 * title (case ignored), so `ops12` finds OPS-12 and `adpt bsy` finds "adopt only on busy".
 * Spaces in the query split it into words that must all match.
 */
export function matchesQuery(haystack: string, query: string): boolean {
  const text = haystack.toLowerCase();
  for (const word of query.toLowerCase().split(/\s+/)) {
    if (word === '') continue;
    let at = 0;
    for (const ch of word) {
      at = text.indexOf(ch, at);
      if (at === -1) return false;
      at += 1;
    }
  }
  return true;
}

/** The keys of the tickets that match, in list order; the same array when nothing filters. */
export function filterOrder(
  order: readonly string[],
  tickets: Readonly<Record<string, Ticket>>,
  query: string,
): readonly string[] {
  if (query.trim() === '') return order;
  return order.filter((key) => {
    const t = tickets[key];
    return t !== undefined && matchesQuery(`${t.key} ${t.title}`, query);
  });
}
