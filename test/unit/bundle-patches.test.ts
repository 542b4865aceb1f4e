import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { inkSanitizeSgr } from '../../scripts/ink-sanitize-sgr.mjs';
import { stringWidthLazyEmoji } from '../../scripts/string-width-lazy-emoji.mjs';
import { textPatch } from '../../scripts/text-patch.mjs';
import { yogaWithoutFetch } from '../../scripts/yoga-without-fetch.mjs';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'cr-patches-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Bundles `contents` (resolved from the repository) with `plugins`; returns the output's path. */
async function bundle(name: string, contents: string, plugins: unknown[]): Promise<string> {
  const outfile = join(work, `${name}.mjs`);
  await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    plugins: plugins as never[],
  });
  return outfile;
}

describe('the bundle patches', () => {
  it('Yoga starts, and lays out, without calling fetch', async () => {
    const file = await bundle(
      'yoga',
      `import Yoga from 'yoga-layout';
       const node = Yoga.Node.create();
       node.setWidth(7);
       node.calculateLayout(undefined, undefined);
       export const width = node.getComputedWidth();`,
      [yogaWithoutFetch],
    );
    const realFetch = globalThis.fetch;
    let fetched = 0;
    globalThis.fetch = (() => {
      fetched += 1;
      return Promise.reject(new Error('no fetch'));
    }) as typeof fetch;
    try {
      const { width } = await import(pathToFileURL(file).href);
      expect(width).toBe(7);
      expect(fetched).toBe(0);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('string-width measures emoji as before with its emoji expression made on first use', async () => {
    const file = await bundle(
      'string-width',
      `import stringWidth from 'string-width';
       export const widths = ['👍', '👨‍👩‍👧', 'a', '漢', '☀\\ufe0f'].map((t) => stringWidth(t));`,
      [stringWidthLazyEmoji],
    );
    const { widths } = await import(pathToFileURL(file).href);
    expect(widths).toEqual([2, 2, 1, 2, 2]);
  });

  it("Ink's sanitizer, given text whose only escapes are SGR, returns what it returned before", async () => {
    const file = join(root, 'node_modules', 'ink', 'build', 'sanitize-ansi.js');
    const entry = `export { default } from ${JSON.stringify(file)};`;
    const patched = (
      await import(pathToFileURL(await bundle('sanitize', entry, [inkSanitizeSgr])).href)
    ).default as (text: string) => string;
    const stock = (await import(pathToFileURL(await bundle('sanitize-stock', entry, [])).href))
      .default as (text: string) => string;
    const pieces = fc.constantFrom(
      'a',
      ' ',
      '›',
      '漢',
      '\n',
      '\u001b[31m',
      '\u001b[38;5;75m',
      '\u001b[38:2::1:2:3m',
      '\u001b[m',
      '\u001b[2J',
      '\u001b[?25l',
      '\u001b[1 m',
      '\u001b[?1m',
      '\u001b[>4;1m',
      '\u001b]8;;http://x\u0007',
      '\u001b',
      '\u001b[',
      '\u001b[31',
      '\u009b31m',
      '\u0085',
      '\u001bc',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        expect(patched(text)).toBe(stock(text));
      }),
      { numRuns: 3_000 },
    );
    // The case it is for: a row of coloured cells comes back whole.
    const row = '\u001b[38;5;75m› \u001b[39m\u001b[1mBENCH-1 \u001b[22m';
    expect(patched(row)).toBe(row);
  });

  it('fails the build when the text to patch is not there, or is there twice', async () => {
    const target = join(work, 'target.js');
    const patch = (find: string, replace = 'x') =>
      textPatch({ name: 'test-patch', file: /target\.js$/, edits: [{ find, replace }] });
    writeFileSync(target, 'export const a = 1; export const b = 1;');
    const entry = `import { a } from ${JSON.stringify(target)}; console.log(a);`;
    await expect(bundle('absent', entry, [patch('const c')])).rejects.toThrow(/has no "const c"/);
    await expect(bundle('twice', entry, [patch('= 1;')])).rejects.toThrow(/more than one/);
    const once = await bundle('once', entry, [patch('const a = 1', 'const a = 2')]);
    expect(readFileSync(once, 'utf8')).toContain('a = 2');
  });
});
