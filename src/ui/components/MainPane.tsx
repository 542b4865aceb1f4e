import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { cropStyled, keepSgr, sanitizeLine, type Ticket } from '../../domain/index.js';
import type { RuntimeView } from '../../store/selectors.js';
import type { PickupChoice } from '../pickup-choices.js';
import { useTheme } from '../store-context.js';
import { truncateToWidth } from '../text-width.js';
import type { LiveScreen } from '../use-live-screen.js';
import type { ViewState } from '../view-state.js';
import { EmptyState } from './EmptyState.js';
import { HelpOverlay } from './HelpOverlay.js';
import { PickupChooser } from './PickupChooser.js';
import { RuntimeList } from './RuntimeList.js';
import { TicketDetail } from './TicketDetail.js';
import { TicketList } from './TicketList.js';
import { WatchView } from './WatchView.js';

/** From this width the list gets a live preview of the selected ticket beside it. */
export const SPLIT_MIN_WIDTH = 150;

export interface MainPaneProps {
  view: ViewState;
  width: number;
  height: number;
  nowMs: number;
  selectedTicket: Ticket | undefined;
  choices: readonly PickupChoice[];
  /** The tickets in view (the list is virtualised) and the selection's row among them. */
  ticketRows: readonly Ticket[];
  selectedTicketRow: number;
  ticketTotal: number;
  ticketsShown: number;
  sending: ReadonlySet<string>;
  runtimeRows: readonly RuntimeView[];
  runtimeTotal: number;
  selectedRuntimeRow: number;
  spinnerFrame: number;
  activity: Readonly<Record<string, readonly number[]>>;
  /** The selected runtime's screen, for the split layout; null while unknown. */
  runtimePreview?: readonly string[] | null;
  /** The runtime watched full screen, when one is. */
  watch?: { title: string; live: LiveScreen; recording: boolean } | undefined;
  /** `host:id` of the runtimes being recorded, marked in the table. */
  recorded?: ReadonlySet<string>;
}

/** The list's share of a split screen. */
export function splitWidth(width: number): number {
  return Math.floor(width * 0.55);
}

/** A list on the left (its share of the width) and what it previews on the right. */
function Split({ width, children }: { width: number; children: [ReactNode, ReactNode] }) {
  return (
    <Box>
      <Box width={splitWidth(width)} marginRight={1}>
        {children[0]}
      </Box>
      {children[1]}
    </Box>
  );
}

/** The bottom of a runtime's screen (where an agent's prompt and status are), fitted. */
function ScreenPreview({
  lines,
  width,
  height,
}: {
  lines: readonly string[] | null;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  if (lines === null) {
    return (
      <Text color={theme.muted ?? undefined}>{truncateToWidth('reading the screen…', width)}</Text>
    );
  }
  // Trailing blank rows of a tall pane say nothing: the last lines with text are shown.
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end -= 1;
  const shown = lines.slice(Math.max(0, end - height), end);
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: screen rows are positions, not items
        <Text key={i} wrap="truncate">
          {(theme.name === 'no-color'
            ? truncateToWidth(sanitizeLine(line), width)
            : cropStyled(keepSgr(line), width).text) || ' '}
        </Text>
      ))}
    </Box>
  );
}

/** What fills the screen between the title and the status lines, for the view the operator is in. */
export function MainPane(props: MainPaneProps) {
  const theme = useTheme();
  const {
    view,
    width,
    height,
    nowMs,
    selectedTicket,
    choices,
    ticketRows,
    selectedTicketRow,
    ticketTotal,
    ticketsShown,
    sending,
    runtimeRows,
    runtimeTotal,
    selectedRuntimeRow,
    spinnerFrame,
    activity,
    runtimePreview,
  } = props;
  let body: ReactNode;
  if (view.helpOpen)
    body = <HelpOverlay width={width} height={height} filter={view.helpFilter ?? ''} />;
  else if (props.watch) {
    body = (
      <WatchView
        title={props.watch.title}
        screen={props.watch.live.screen}
        ended={props.watch.live.ended}
        recording={props.watch.recording}
        width={width}
        height={height}
      />
    );
  } else if (view.chooser && selectedTicket) {
    body = (
      <PickupChooser
        ticketKey={selectedTicket.key}
        choices={choices}
        selected={view.chooser.selected}
        width={width}
        height={height}
      />
    );
  } else if (view.detail && selectedTicket) {
    body = (
      <TicketDetail
        ticket={selectedTicket}
        width={width}
        height={height}
        scroll={view.detail.scroll}
        nowMs={nowMs}
      />
    );
  } else if (view.screen === 'runtimes') {
    const table = (w: number) => (
      <RuntimeList
        recorded={props.recorded}
        rows={runtimeRows}
        selectedRow={selectedRuntimeRow}
        width={w}
        nowMs={nowMs}
        spinnerFrame={spinnerFrame}
        activity={activity}
      />
    );
    body =
      runtimeTotal === 0 ? (
        <Text color={theme.muted ?? undefined}>
          {truncateToWidth(
            'No runtimes yet: start one with p on a ticket, or control-room runtimes new',
            width,
          )}
        </Text>
      ) : width >= SPLIT_MIN_WIDTH ? (
        // Wide terminals: the table, and beside it the selected runtime's screen, live.
        <Split width={width}>
          {table(splitWidth(width))}
          <ScreenPreview
            lines={runtimePreview ?? null}
            width={width - splitWidth(width) - 1}
            height={height}
          />
        </Split>
      ) : (
        table(width)
      );
  } else if (ticketTotal === 0) body = <EmptyState />;
  else if (ticketsShown === 0) {
    body = (
      <Text color={theme.muted ?? undefined}>
        {truncateToWidth(
          `No ticket matches "${view.filter?.text ?? ''}"; Esc clears the filter`,
          width,
        )}
      </Text>
    );
  } else {
    const list = (w: number) => (
      <TicketList
        rows={ticketRows}
        selectedRow={selectedTicketRow}
        width={w}
        nowMs={nowMs}
        sending={sending}
      />
    );
    // Wide terminals: the list, and beside it the selected ticket in full.
    body =
      width >= SPLIT_MIN_WIDTH && selectedTicket ? (
        <Split width={width}>
          {list(splitWidth(width))}
          <TicketDetail
            ticket={selectedTicket}
            width={width - splitWidth(width) - 1}
            height={height}
            scroll={0}
            nowMs={nowMs}
          />
        </Split>
      ) : (
        list(width)
      );
  }

  return body;
}
