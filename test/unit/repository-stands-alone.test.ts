import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A fresh clone with nothing beside it must work: no code, test, benchmark or script may read a
 * path outside the repository, and the documentation may only link to files it ships.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const CODE_FOLDERS = ['src', 'test', 'bench', 'scripts'];
const SKIPPED = new Set(['node_modules', 'dist', '.git']);

/**
 * Paths that name something beside the checkout rather than in it. Written with escapes so that
 * this file does not match itself.
 */
const OUTSIDE_PATTERNS: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /(?<![\w.~-])\/work\//, what: 'an absolute path into the machine it was written on' },
  {
    pattern: /\bshared\/(?:design|fixtures|hooks)\b/,
    what: 'the shared folder beside the checkout',
  },
];

/** A quoted relative path that climbs: `'../x'`, `"../../y"`, `` `../z` ``. */
const CLIMBING_LITERAL = /(['"`])((?:\.\.\/)+[^'"`\s]*)\1/g;

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

function isInsideRoot(path: string): boolean {
  const rel = relative(ROOT, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/** Every reference in `file` to a path outside the repository, as `file:line: what`. */
function outsideReferences(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (text.includes('\0')) return []; // binary
  const name = relative(ROOT, file);
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    const where = `${name}:${index + 1}`;
    for (const { pattern, what } of OUTSIDE_PATTERNS) {
      if (pattern.test(line)) found.push(`${where}: ${what}: ${line.trim()}`);
    }
    for (const match of line.matchAll(CLIMBING_LITERAL)) {
      const target = resolve(dirname(file), match[2] ?? '');
      if (!isInsideRoot(target)) {
        found.push(`${where}: ${match[2]} leaves the repository (${target})`);
      }
    }
  });
  return found;
}

/** The Markdown files a reader of the repository gets: the README and docs/. */
function documentationFiles(): string[] {
  const docs = join(ROOT, 'docs');
  const pages = existsSync(docs)
    ? readdirSync(docs)
        .filter((name) => name.endsWith('.md'))
        .map((name) => join(docs, name))
    : [];
  return [join(ROOT, 'README.md'), ...pages];
}

/** Inline links and images `[text](target)`, and reference definitions `[name]: target`. */
const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_LINK = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm;

function linkTargets(text: string): string[] {
  // Code spans and fenced blocks hold examples, not links.
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(INLINE_LINK), ...prose.matchAll(REFERENCE_LINK)].map(
    (match) => match[1] ?? '',
  );
}

/** The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces to `-`. */
function headingSlugs(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const slugs = new Set<string>();
  for (const match of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const base = (match[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let slug = base;
    for (let n = 1; slugs.has(slug); n++) slug = `${base}-${n}`;
    slugs.add(slug);
  }
  return slugs;
}

/** `https:`, `mailto:` and the like: not a file of the repository. */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

describe('the repository stands alone', () => {
  it('no file in src, test, bench or scripts references a path outside the repository', () => {
    const files = CODE_FOLDERS.flatMap((folder) => filesUnder(join(ROOT, folder)));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(outsideReferences)).toEqual([]);
  });

  it('the check itself sees a climbing path and an absolute one', () => {
    const here = join(ROOT, 'test', 'unit', 'x.ts');
    const climbing = `${['..', '..', '..', 'shared'].join('/')}/fixtures`;
    const target = resolve(dirname(here), climbing);
    expect(isInsideRoot(target)).toBe(false);
    expect(isInsideRoot(resolve(dirname(here), '../fixtures'))).toBe(true);
    expect(
      OUTSIDE_PATTERNS.some(({ pattern }) => pattern.test(`'${['', 'work', 'x'].join('/')}'`)),
    ).toBe(true);
    // Sample data like a remote runtime's folder is not a path this machine reads.
    expect(OUTSIDE_PATTERNS.some(({ pattern }) => pattern.test("cwd: '/srv/work/mc-1'"))).toBe(
      false,
    );
  });

  it('every relative link in README.md and docs/*.md names a file of the repository, and its heading', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of documentationFiles()) {
      for (const target of linkTargets(readFileSync(page, 'utf8'))) {
        if (isExternal(target)) continue;
        checked++;
        const [file = '', fragment] = target.split('#', 2);
        const path = file === '' ? page : resolve(dirname(page), decodeURI(file));
        const where = `${relative(ROOT, page)}: ${target}`;
        if (!isInsideRoot(path) || !existsSync(path)) broken.push(where);
        else if (fragment && path.endsWith('.md') && !headingSlugs(path).has(fragment)) {
          broken.push(`${where} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it('the README links the runtime host API and the CLI contract in docs/', () => {
    const targets = linkTargets(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(targets).toContain('docs/runtime-api.md');
    expect(targets).toContain('docs/cli.md');
  });
});
