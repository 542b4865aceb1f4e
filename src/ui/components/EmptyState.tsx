import { Box, Text } from 'ink';
import { useTheme } from '../store-context.js';

/** A first run shows how to get tickets in, not an empty table. */
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
      <Text color={theme.muted ?? undefined}>then start the control room again.</Text>
    </Box>
  );
}
