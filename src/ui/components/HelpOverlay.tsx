import { Box, Text } from 'ink';
import { COMMANDS, type CommandCategory, keysLabel } from '../commands/registry.js';
import { useTheme } from '../store-context.js';
import { padToWidth } from '../text-width.js';

const ORDER: readonly CommandCategory[] = ['Navigation', 'Views', 'Application'];

/** Every command by category, from the registry. */
export function HelpOverlay({ width }: { width: number }) {
  const theme = useTheme();
  const keyWidth = Math.max(...COMMANDS.map((c) => keysLabel(c).length)) + 2;
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={theme.border ?? undefined}
      width={Math.min(width, 60)}
    >
      {ORDER.map((category) => (
        <Box key={category} flexDirection="column">
          <Text color={theme.accent ?? undefined} bold>
            {category}
          </Text>
          {COMMANDS.filter((c) => c.category === category).map((c) => (
            <Text key={c.id} color={theme.text ?? undefined}>
              {`  ${padToWidth(keysLabel(c), keyWidth)}${c.description}`}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}
