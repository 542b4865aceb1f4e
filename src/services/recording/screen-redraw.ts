import type { Screen } from '../../domain/driver.js';
import { keepSgr } from '../../domain/screen-text.js';

/**
 * The output that draws `screen` on a terminal of its size from any state: attributes reset,
 * cursor home, screen cleared, each line at its row (colours kept; SGR carries from one line to
 * the next as it does on the pane), attributes reset again, the cursor where the pane's is. The
 * first event of a recording, so a replay starts on the screen the runtime showed.
 */
export function redrawText(screen: Screen): string {
  let text = '\x1b[0m\x1b[H\x1b[2J';
  const rows = Math.min(screen.lines.length, screen.rows);
  for (let row = 0; row < rows; row++) {
    // The source's lines should hold nothing but SGR; a host's are not trusted to.
    const line = keepSgr(screen.lines[row] ?? '');
    if (line !== '') text += `\x1b[${row + 1};1H${line}`;
  }
  const y = clamp(screen.cursor.y, screen.rows);
  const x = clamp(screen.cursor.x, screen.cols);
  return `${text}\x1b[0m\x1b[${y + 1};${x + 1}H`;
}

function clamp(value: number, size: number): number {
  if (!Number.isInteger(value) || value < 0) return 0;
  return Math.min(value, Math.max(0, size - 1));
}
