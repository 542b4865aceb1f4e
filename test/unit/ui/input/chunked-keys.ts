import fc from 'fast-check';

const ESC = '\u001b';

/**
 * A sequence of keys (each as a terminal sends it) and the same keys cut into chunks at random
 * key boundaries, as reads over SSH or a paste deliver them. ESC and a character in one read is
 * how a terminal sends Alt and that character (its encoding, not ours to change), so an Esc
 * followed by a key that does not start with ESC always ends its chunk, as when a person types.
 */
export function chunkedKeys(keyBytes: readonly string[], maxLength: number) {
  return fc
    .array(fc.tuple(fc.constantFrom(...keyBytes), fc.boolean()), { minLength: 1, maxLength })
    .map((pairs) => {
      const chunks: string[] = [];
      let chunk = '';
      pairs.forEach(([bytes, cutAfter], i) => {
        chunk += bytes;
        const next = pairs[i + 1]?.[0];
        if (cutAfter || (bytes === ESC && next !== undefined && !next.startsWith(ESC))) {
          chunks.push(chunk);
          chunk = '';
        }
      });
      if (chunk !== '') chunks.push(chunk);
      return { keys: pairs.map(([bytes]) => bytes), chunks };
    });
}
