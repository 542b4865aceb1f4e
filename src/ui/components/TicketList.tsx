import { Box, Text } from 'ink';
import { memo } from 'react';
import { presenceTag, type Ticket } from '../../domain/index.js';
import { selectPresence, selectQueue } from '../../store/selectors.js';
import { useAppStore, useTheme } from '../store-context.js';
import { padToWidth } from '../text-width.js';
import { paint } from './painted-text.js';
import {
  type Column,
  cellText,
  GUTTER,
  layoutColumns,
  runtimeTone,
  runtimeWant,
  SELECTED_MARK,
} from './ticket-columns.js';

interface Props {
  /** Only the rows in view: the list is virtualised, so 100,000 tickets cost what 20 do. */
  rows: readonly Ticket[];
  /** Index within `rows` of the selection, or -1. */
  selectedRow: number;
  width: number;
  nowMs: number;
  /** Tickets this control room is picking up now: their runtime cell says so. */
  sending?: ReadonlySet<string>;
}

export function TicketList({ rows, selectedRow, width, nowMs, sending }: Props) {
  const theme = useTheme();
  // A ticket queued behind another on a runtime reads so; only the rows in view are asked.
  const tickets = useAppStore((s) => s.tickets);
  const ticketOrder = useAppStore((s) => s.ticketOrder);
  const runtimes = useAppStore((s) => s.runtimes);
  const hosts = useAppStore((s) => s.hosts);
  const queues = rows.map((ticket) => selectQueue({ tickets, ticketOrder, runtimes }, ticket));
  const want = runtimeWant(rows.map((ticket, i) => ({ ticket, queued: queues[i] ?? null })));
  const { columns } = layoutColumns(width, want);
  // Ages are shown to the second only under a minute: a row is redrawn when its ticket, its
  // selection or this ten-second clock changes, not on every frame (keys stay fast at 100,000).
  const ageNow = Math.floor(nowMs / AGE_STEP_MS) * AGE_STEP_MS;
  const header = GUTTER + [...columns.map((c) => padToWidth(c.title, c.width)), 'TITLE'].join(' ');
  return (
    <Box flexDirection="column">
      <Text color={theme.muted ?? undefined} bold>
        {padToWidth(header, width)}
      </Text>
      {rows.map((ticket, index) => (
        <TicketRow
          key={ticket.key}
          ticket={ticket}
          selected={index === selectedRow}
          inFlight={sending?.has(ticket.key) ?? false}
          presence={presenceTag(selectPresence({ runtimes, hosts }, ticket))}
          queued={queues[index] ?? null}
          width={width}
          runtimeWant={want}
          ageNow={ageNow}
        />
      ))}
    </Box>
  );
}

const AGE_STEP_MS = 10_000;

interface RowProps {
  ticket: Ticket;
  selected: boolean;
  inFlight: boolean;
  /** Its runtime's condition in a word (gone, exited, unreachable), or null: see runtime-presence. */
  presence: string | null;
  /** `queued on R after K`, for a ticket queued behind another; null otherwise. */
  queued: string | null;
  width: number;
  runtimeWant: number;
  ageNow: number;
}

const TicketRow = memo(function TicketRow({
  ticket,
  selected,
  inFlight,
  presence,
  queued,
  width,
  runtimeWant: want,
  ageNow,
}: RowProps) {
  const theme = useTheme();
  const { columns, titleWidth } = layoutColumns(width, want);
  const nowMs = ageNow;
  const attention = ticket.state === 'needs_input';
  const tone = inFlight ? 'sending' : runtimeTone(ticket, queued, presence);
  const widthOf = (id: Column['id']) => columns.find((c) => c.id === id)?.width;
  const cell = (id: Column['id']) =>
    id === 'runtime' && inFlight
      ? 'sending…'
      : cellText(ticket, id, nowMs, widthOf(id), queued, presence);
  const colourOf = (id: Column['id']) => {
    if (id === 'severity') return theme.severity[ticket.severity];
    if (id === 'state') return theme.state[ticket.state];
    if (id === 'runtime' && tone !== 'plain') {
      return tone === 'error' ? theme.error : tone === 'warning' ? theme.warning : theme.accent;
    }
    return selected ? theme.selection.foreground : theme.text;
  };
  const background = selected ? (theme.selection.background ?? undefined) : undefined;
  const inverse = selected && theme.selection.background === null;
  // One Text a row, its cells painted as nested Texts would be: one Yoga node and one
  // component a row, not ten of each.
  const cells = [
    paint(selected ? SELECTED_MARK : GUTTER, { color: theme.focus ?? undefined, bold: true }),
    ...columns.map((c) =>
      paint(`${padToWidth(cell(c.id), c.width)} `, {
        color: colourOf(c.id) ?? undefined,
        backgroundColor: background,
        inverse,
        bold: attention && c.id === 'state',
      }),
    ),
    paint(padToWidth(cellText(ticket, 'title', nowMs), titleWidth), {
      color: (selected ? theme.selection.foreground : theme.text) ?? undefined,
      backgroundColor: background,
      inverse,
      bold: attention,
    }),
  ];
  return <Text>{cells.join('')}</Text>;
});
