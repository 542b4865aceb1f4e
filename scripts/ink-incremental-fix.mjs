// Ink 6.8's incremental writer moves up one line too few after a frame that ended with a
// newline (every frame shorter than the terminal, which ours always is: root height rows - 1),
// so each frame lands one line lower than the last. The cursor sits on the line below such a
// frame: the way back to its first line is `previousVisible` lines up, not `previousVisible - 1`.
// Applied to the bundle only (this esbuild plugin); the build fails if the code it fixes moved.
import { readFile } from 'node:fs/promises';

const WRONG = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
const RIGHT =
  "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));";

export const inkIncrementalFix = {
  name: 'ink-incremental-fix',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]log-update\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(WRONG)) {
        throw new Error(
          `${args.path}: the incremental cursor line to fix is not there (a new Ink?); check whether the fix is still needed`,
        );
      }
      return { contents: source.replace(WRONG, RIGHT), loader: 'js' };
    });
  },
};
