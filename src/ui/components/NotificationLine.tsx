import { Text } from 'ink';
import { sanitizeLine } from '../../domain/index.js';
import type { Notification } from '../../store/state.js';
import { useTheme } from '../store-context.js';
import { truncateToWidth } from '../text-width.js';

/** The newest notification not yet seen, and how many more wait; they stay until marked seen. */
export function NotificationLine({
  unseen,
  width,
}: {
  unseen: readonly Notification[];
  width: number;
}) {
  const theme = useTheme();
  const newest = unseen.at(-1);
  if (!newest) return null;
  const more =
    unseen.length > 1 ? ` (+${unseen.length - 1} more; n marks them seen)` : ' (n: seen)';
  const colour =
    newest.level === 'error'
      ? theme.error
      : newest.level === 'warning'
        ? theme.warning
        : newest.level === 'success'
          ? theme.success
          : theme.text;
  return (
    <Text color={colour ?? undefined}>
      {truncateToWidth(`${sanitizeLine(newest.text)}${more}`, width)}
    </Text>
  );
}
