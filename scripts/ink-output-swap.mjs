// The bundle draws Ink's frames with src/ui/ink/output.ts instead of Ink's own output.js (the same
// class, with caches that outlive a frame), measures text with src/ui/ink/measure.ts, and colours
// it with src/ui/ink/colorize.ts (Ink's, with each colour's chalk function made once). Checked
// against the Ink it was written for: the build fails on another version, so a new Ink is looked
// at before it ships.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { repoPath } from './repo-path.mjs';

const replacement = repoPath('src', 'ui', 'ink', 'output.ts');
const measure = repoPath('src', 'ui', 'ink', 'measure.ts');
const colorize = repoPath('src', 'ui', 'ink', 'colorize.ts');
const WRITTEN_FOR = '6.8.0';

export const inkOutputSwap = {
  name: 'ink-output-swap',
  setup(build) {
    // Ink measures every text node of every frame with `widest-line`, uncached.
    build.onResolve({ filter: /^widest-line$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: measure } : undefined,
    );
    // Ink makes a new chalk function for each coloured text of each frame.
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]colorize\.js$/ }, () => ({
      contents: `export { default } from ${JSON.stringify(colorize)};`,
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const pkg = JSON.parse(
        await readFile(join(dirname(args.path), '..', 'package.json'), 'utf8'),
      );
      if (pkg.version !== WRITTEN_FOR) {
        throw new Error(
          `src/ui/ink/output.ts was written for Ink ${WRITTEN_FOR}, this is ${pkg.version}: compare it with ${args.path} and update WRITTEN_FOR`,
        );
      }
      return { contents: `export { default } from ${JSON.stringify(replacement)};`, loader: 'js' };
    });
  },
};
