import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
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
