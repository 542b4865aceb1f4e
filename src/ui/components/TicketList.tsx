import { Box, Text } from 'ink';
import type { Ticket } from '../../domain/index.js';
import { useTheme } from '../store-context.js';
import { padToWidth } from '../text-width.js';
import { cellText, GUTTER, layoutColumns, SELECTED_MARK } from './ticket-columns.js';

interface Props {
  /** Only the rows in view: the list is virtualised, so 100,000 tickets cost what 20 do. */
  rows: readonly Ticket[];
  /** Index within `rows` of the selection, or -1. */
  selectedRow: number;
  width: number;
  nowMs: number;
}

export function TicketList({ rows, selectedRow, width, nowMs }: Props) {
  const theme = useTheme();
  const { columns, titleWidth } = layoutColumns(width);
  const header = GUTTER + [...columns.map((c) => padToWidth(c.title, c.width)), 'TITLE'].join(' ');
  return (
    <Box flexDirection="column">
      <Text color={theme.muted ?? undefined} bold>
        {padToWidth(header, width)}
      </Text>
      {rows.map((ticket, index) => {
        const selected = index === selectedRow;
        const attention = ticket.state === 'needs_input';
        return (
          <Box key={ticket.key}>
            <Text color={theme.focus ?? undefined} bold>
              {selected ? SELECTED_MARK : GUTTER}
            </Text>
            {columns.map((c) => (
              <Text
                key={c.id}
                color={
                  (c.id === 'severity'
                    ? theme.severity[ticket.severity]
                    : c.id === 'state'
                      ? theme.state[ticket.state]
                      : selected
                        ? theme.selection.foreground
                        : theme.text) ?? undefined
                }
                backgroundColor={selected ? (theme.selection.background ?? undefined) : undefined}
                inverse={selected && theme.selection.background === null}
                bold={attention && c.id === 'state'}
              >
                {`${padToWidth(cellText(ticket, c.id, nowMs), c.width)} `}
              </Text>
            ))}
            <Text
              color={(selected ? theme.selection.foreground : theme.text) ?? undefined}
              backgroundColor={selected ? (theme.selection.background ?? undefined) : undefined}
              inverse={selected && theme.selection.background === null}
              bold={attention}
            >
              {padToWidth(cellText(ticket, 'title', nowMs), titleWidth)}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}
