import { Box, Text } from 'ink';
import { displayWidth } from '../../domain/display-width.js';
import type { PickupChoice } from '../pickup-choices.js';
import { useTheme } from '../store-context.js';
import { padToWidth, truncateToWidth } from '../text-width.js';
import { SELECTED_MARK } from './ticket-columns.js';

interface Props {
  ticketKey: string;
  choices: readonly PickupChoice[];
  selected: number;
  width: number;
  height: number;
}

/** Below this many columns a label is not cut further for its reason (the line is cut instead). */
const LABEL_MIN = 24;

/**
 * A choice's text in `width` columns. A disabled line's reason is what the operator must read,
 * so a long label (a deep folder) is cut to make room for it rather than the reason.
 */
export function choiceText(choice: PickupChoice, width: number): string {
  if (!choice.disabledReason) return choice.label;
  const reason = `  — ${choice.disabledReason}`;
  const labelRoom = Math.max(Math.min(LABEL_MIN, width), width - displayWidth(reason));
  return `${truncateToWidth(choice.label, labelRoom)}${reason}`;
}

/** Where to send the ticket: idle runtimes first, busy ones, a new runtime per profile. */
export function PickupChooser({ ticketKey, choices, selected, width, height }: Props) {
  const theme = useTheme();
  const room = Math.max(1, height - 2);
  const start = Math.min(Math.max(0, selected - room + 1), Math.max(0, choices.length - room));
  const shown = choices.slice(start, start + room);
  return (
    <Box flexDirection="column">
      <Text color={theme.accent ?? undefined} bold>
        {truncateToWidth(`Pick ${ticketKey} up: where should it go?`, width)}
      </Text>
      {choices.length === 0 ? (
        <Text color={theme.warning ?? undefined}>
          {truncateToWidth('No idle runtime, and no profile to start one.', width)}
        </Text>
      ) : (
        shown.map((choice, i) => {
          const isSelected = start + i === selected;
          // A line that cannot take the ticket says why, and is drawn muted.
          const text = choiceText(choice, width - 2);
          const colour = choice.disabledReason ? theme.muted : theme.text;
          return (
            <Text
              key={choice.label}
              color={(isSelected ? theme.selection.foreground : colour) ?? undefined}
              backgroundColor={isSelected ? (theme.selection.background ?? undefined) : undefined}
              inverse={isSelected && theme.selection.background === null}
            >
              {padToWidth(`${isSelected ? SELECTED_MARK : '  '}${text}`, width)}
            </Text>
          );
        })
      )}
    </Box>
  );
}
