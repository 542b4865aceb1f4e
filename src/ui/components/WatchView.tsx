import { Box, Text } from 'ink';
import { cropScreen, keepSgr, sanitizeLine, type WatchedScreen } from '../../domain/index.js';
import { useTheme } from '../store-context.js';
import { truncateToWidth } from '../text-width.js';

export interface WatchViewProps {
  /** The runtime's name and where it runs, for the title line. */
  title: string;
  screen: WatchedScreen | null;
  /** Why the console stopped, when it did. */
  ended: string | null;
  recording: boolean;
  width: number;
  height: number;
}

const blank = (line: string) => sanitizeLine(line).trim() === '';

/**
 * The rows of a screen that fit in `rows`. Blank rows below the text (and the cursor) are dropped;
 * then, while it is still too tall, runs of blank rows are closed up to one: an agent prints at
 * the top and keeps its prompt and status at the bottom, and both matter. What is still too tall
 * shows its bottom rows, the newest; `hidden` counts the rows with text left out above.
 */
export function fitRows(screen: WatchedScreen, rows: number): { lines: string[]; hidden: number } {
  let end = screen.lines.length;
  while (end > 0 && blank(screen.lines[end - 1] ?? '')) end -= 1;
  if (screen.scroll === 0) end = Math.max(end, Math.min(screen.lines.length, screen.cursor.y + 1));
  const lines = screen.lines.slice(0, end);
  let excess = lines.length - rows;
  if (excess <= 0) return { lines, hidden: 0 };
  const closed: string[] = [];
  lines.forEach((line, i) => {
    if (excess > 0 && i > 0 && blank(line) && blank(lines[i - 1] ?? '')) excess -= 1;
    else closed.push(line);
  });
  const start = Math.max(0, closed.length - rows);
  const hidden = closed.slice(0, start).filter((line) => !blank(line)).length;
  return { lines: closed.slice(start), hidden };
}

/**
 * A runtime's console, full screen: its own colours kept (SGR only; the no-colour theme drops
 * them too), cropped to the panel with `›` where a line is cut, and a title line that says
 * whether this is live or how far back in the scrollback it is.
 */
export function WatchView({ title, screen, ended, recording, width, height }: WatchViewProps) {
  const theme = useTheme();
  const rows = Math.max(1, height - 1);
  const where = !screen
    ? 'reading the screen…'
    : screen.scroll === 0
      ? 'live'
      : `${screen.scroll} of ${screen.history} lines back (G: live)`;
  const shown = screen ? fitRows(screen, rows) : { lines: [], hidden: 0 };
  // The sources keep only SGR already; the screen does not rely on it (untrusted pane text).
  const cropped = cropScreen(shown.lines.map(keepSgr), width, rows);
  const cuts = [
    cropped.cutRight ? 'cut on the right' : '',
    shown.hidden > 0 ? `${shown.hidden} lines above not shown` : '',
  ].filter(Boolean);
  const size = screen ? `${screen.cols}×${screen.rows}` : '';
  const heading = [
    title,
    size,
    where,
    recording ? '● rec' : '',
    ...cuts,
    ended ? `ended: ${ended}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const plain = theme.name === 'no-color';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={(ended ? theme.error : theme.accent) ?? undefined} bold>
        {truncateToWidth(sanitizeLine(heading), width)}
      </Text>
      {cropped.lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: screen rows are positions, not items
        <Text key={i} wrap="truncate">
          {(plain ? sanitizeLine(line) : line) || ' '}
        </Text>
      ))}
    </Box>
  );
}
