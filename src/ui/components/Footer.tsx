import { Box, Text } from 'ink';
import { type CommandContext, commandsFor, keysLabel } from '../commands/registry.js';
import { useTheme } from '../store-context.js';
import { truncateToWidth } from '../text-width.js';

/** The keys that do something here, straight from the registry. */
export function Footer({
  ctx,
  width,
  notice,
}: {
  ctx: CommandContext;
  width: number;
  notice: string | null;
}) {
  const theme = useTheme();
  const hints = commandsFor(ctx)
    .filter((c) => c.footer && !c.disabledReason?.(ctx))
    .map((c) => `${keysLabel(c)} ${c.description}`)
    .join('  ');
  return (
    <Box>
      {notice ? (
        <Text color={theme.warning ?? undefined}>{truncateToWidth(notice, width)}</Text>
      ) : (
        <Text color={theme.muted ?? undefined}>{truncateToWidth(hints, width)}</Text>
      )}
    </Box>
  );
}
