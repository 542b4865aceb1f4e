import { Box, Text } from 'ink';
import { maxOf } from '../../domain/lists.js';
import { activeCommands, type CommandCategory, keysLabel } from '../commands/registry.js';
import { useTheme } from '../store-context.js';
import { padToWidth, truncateToWidth } from '../text-width.js';
import { matchesQuery } from '../ticket-filter.js';

const ORDER: readonly CommandCategory[] = [
  'Navigation',
  'Tickets',
  'Runtimes',
  'Views',
  'Application',
];

interface HelpRow {
  /** Unique among the rows (two commands may read alike, e.g. Backspace in each typed line). */
  id: string;
  heading: boolean;
  text: string;
}

/** The overlay's lines: each category's heading, then its commands' keys and descriptions. */
export function helpRows(filter = ''): HelpRow[] {
  // Typing over the overlay keeps the commands whose keys, words or id match.
  const COMMANDS = activeCommands().filter((c) =>
    matchesQuery(`${keysLabel(c)} ${c.description} ${c.id}`, filter),
  );
  const keyWidth = Math.min(14, maxOf(COMMANDS.map((c) => keysLabel(c).length)) + 1);
  return ORDER.flatMap((category) => {
    const commands = COMMANDS.filter((c) => c.category === category);
    if (commands.length === 0) return [];
    return [
      { id: category, heading: true, text: category },
      ...commands.map((c) => ({
        id: c.id,
        heading: false,
        text: ` ${padToWidth(truncateToWidth(keysLabel(c), keyWidth), keyWidth)} ${c.description}`,
      })),
    ];
  });
}

/**
 * Every command by category, from the registry, in as many columns as it takes to fit the
 * height (the root stays below the terminal's height, so nothing is cut off or scrolled away).
 */
export function HelpOverlay({
  width,
  height,
  filter = '',
}: {
  width: number;
  height: number;
  filter?: string;
}) {
  const theme = useTheme();
  const rows = helpRows(filter);
  if (filter !== '') {
    const found = rows.filter((r) => !r.heading).length;
    rows.unshift({
      id: 'find',
      heading: false,
      text: `find: ${filter}▏  (${found} found; Esc closes)`,
    });
  }
  const perColumn = Math.max(1, height - 2);
  const columnCount = Math.ceil(rows.length / perColumn);
  const columnWidth = Math.max(10, Math.floor((width - 2) / columnCount));
  const columns = Array.from({ length: columnCount }, (_, i) =>
    rows.slice(i * perColumn, (i + 1) * perColumn),
  );
  return (
    <Box borderStyle="round" borderColor={theme.border ?? undefined} width={width}>
      {columns.map((column, i) => (
        <Box key={column[0]?.id ?? i} flexDirection="column" width={columnWidth}>
          {column.map((row) => (
            <Text
              key={row.id}
              color={(row.heading ? theme.accent : theme.text) ?? undefined}
              bold={row.heading}
            >
              {truncateToWidth(row.text, columnWidth - 1)}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}
