// An esbuild plugin that edits one dependency file of the bundle by exact text: each edit's text
// must be there exactly once, or the build fails, so a new version of the dependency is looked at
// before it ships (the edit may be wrong for it, or no longer needed).
import { readFile } from 'node:fs/promises';

/**
 * @param {{ name: string, file: RegExp | string, edits: { find: string, replace: string }[] }} patch
 *   `file` matches the path of the file to edit, or is that exact path; `edits` are applied in
 *   order.
 */
export function textPatch({ name, file, edits }) {
  const filter = typeof file === 'string' ? new RegExp(`^${escapeRegExp(file)}$`) : file;
  return {
    name,
    setup(build) {
      build.onLoad({ filter }, async (args) => {
        let source = await readFile(args.path, 'utf8');
        for (const { find, replace } of edits) {
          const first = source.indexOf(find);
          if (first < 0 || source.indexOf(find, first + 1) >= 0) {
            throw new Error(
              `${name}: ${args.path} has ${first < 0 ? 'no' : 'more than one'} ${JSON.stringify(find.slice(0, 80))}; a new version? check whether the patch is still right and needed (scripts/${name}.mjs)`,
            );
          }
          source = source.replace(find, () => replace);
        }
        return { contents: source, loader: 'js' };
      });
    },
  };
}

function escapeRegExp(text) {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
