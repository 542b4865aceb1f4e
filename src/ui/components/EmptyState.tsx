import { Box, Text } from 'ink';
import { useTheme } from '../store-context.js';

/**
 * A first run shows how to get tickets in, not an empty table. Tickets added from anywhere
 * appear at once (the screen follows the database), so nothing here asks for a restart.
 */
export function EmptyState() {
  const theme = useTheme();
  return (
    <Box flexDirection="column" paddingTop={1}>
      <Text color={theme.text ?? undefined}>No tickets yet. Add some from another terminal:</Text>
      <Text color={theme.accent ?? undefined}>
        {' '}
        control-room tickets add --title "what is wrong"
      </Text>
      <Text color={theme.accent ?? undefined}> control-room tickets import findings.md</Text>
      <Text color={theme.muted ?? undefined}>They appear here as they are added.</Text>
      <Box paddingTop={1}>
        <Text color={theme.muted ?? undefined}>
          New here? Quit (q) and try it out on demo tickets and agents, in a sandbox:{' '}
          <Text color={theme.accent ?? undefined}>control-room demo</Text>
        </Text>
      </Box>
    </Box>
  );
}
