// Ink 6.8's incremental writer moves up one line too few after a frame that ended with a
// newline (every frame shorter than the terminal, which ours always is: root height rows - 1),
// so each frame lands one line lower than the last. The cursor sits on the line below such a
// frame: the way back to its first line is `previousVisible` lines up, not `previousVisible - 1`.
// Applied to the bundle only; the build fails if the code it fixes moved.
import { textPatch } from './text-patch.mjs';

export const inkIncrementalFix = textPatch({
  name: 'ink-incremental-fix',
  file: /[\\/]ink[\\/]build[\\/]log-update\.js$/,
  edits: [
    {
      find: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
      replace:
        "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));",
    },
  ],
});
