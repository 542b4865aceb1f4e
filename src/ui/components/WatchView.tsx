import { Box, Text } from 'ink';
import { cropScreen, sanitizeLine, type WatchedScreen } from '../../domain/index.js';
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

/**
 * The rows of a taller screen that fit: its bottom, where an agent keeps its prompt, its question
 * and its status, down to the cursor or the last row with text (blank rows below say nothing).
 */
export function visibleRows(screen: WatchedScreen, rows: number): { start: number; end: number } {
  let end = screen.lines.length;
  while (end > 0 && (screen.lines[end - 1] ?? '').trim() === '') end -= 1;
  if (screen.scroll === 0) end = Math.max(end, Math.min(screen.lines.length, screen.cursor.y + 1));
  return { start: Math.max(0, end - rows), end };
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
  const shown = screen ? visibleRows(screen, rows) : { start: 0, end: 0 };
  const cropped = screen
    ? cropScreen(screen.lines.slice(shown.start, shown.end), width, rows)
    : { lines: [], cutRight: false, cutBottom: false };
  const cuts = [
    cropped.cutRight ? 'cut on the right' : '',
    screen?.lines.slice(0, shown.start).some((line) => line.trim() !== '')
      ? `top ${shown.start} rows not shown`
      : '',
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
