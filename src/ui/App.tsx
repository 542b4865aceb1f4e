import { Box, Text, useApp, useInput } from 'ink';
import { useMemo, useRef, useState } from 'react';
import { selectTicketCounts } from '../store/index.js';
import type { CommandContext } from './commands/registry.js';
import { resolveKey } from './commands/router.js';
import { EmptyState } from './components/EmptyState.js';
import { Footer } from './components/Footer.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { TicketList } from './components/TicketList.js';
import { useAppStore, useTheme } from './store-context.js';
import { truncateToWidth } from './text-width.js';
import { useTerminalSize } from './use-terminal-size.js';
import {
  clampSelection,
  INITIAL_VIEW,
  type ViewState,
  viewReducer,
  windowStart,
} from './view-state.js';

/** Lines around the list: the title bar, the column header and the footer. */
const CHROME_LINES = 3;

export function App({ now = () => Date.now() }: { now?: () => number }) {
  const { exit } = useApp();
  const theme = useTheme();
  const { columns, rows } = useTerminalSize();
  const order = useAppStore((s) => s.ticketOrder);
  const tickets = useAppStore((s) => s.tickets);
  // Selectors that build new objects are memoised on their inputs, not run inside useStore.
  const counts = useMemo(
    () => selectTicketCounts({ ticketOrder: order, tickets }),
    [order, tickets],
  );
  const [view, setView] = useState<ViewState>(INITIAL_VIEW);
  const [notice, setNotice] = useState<string | null>(null);
  const start = useRef(0);

  // Never as tall as the terminal: Ink would clear the whole screen on every frame.
  const height = Math.max(4, rows - 1);
  const width = Math.max(20, columns - 1);
  const listHeight = Math.max(1, height - CHROME_LINES);
  const selected = clampSelection(view.selected, order.length);
  const ctx: CommandContext = { view: { ...view, selected }, ticketCount: order.length };

  // Keys can arrive faster than renders: the handler reads the latest view from this ref, not
  // from the render it was made in, so two quick presses never act on the same stale view.
  const latest = useRef({ view: ctx.view, count: order.length, listHeight });
  latest.current = { ...latest.current, count: order.length, listHeight };
  latest.current.view = {
    ...latest.current.view,
    selected: clampSelection(latest.current.view.selected, order.length),
  };

  useInput((input, key) => {
    const { view: current, count, listHeight: pageSize } = latest.current;
    const resolution = resolveKey(input, key, { view: current, ticketCount: count });
    if (resolution.kind === 'none') return;
    if (resolution.kind === 'disabled') {
      setNotice(`${resolution.command.description}: ${resolution.reason}`);
      return;
    }
    setNotice(null);
    if (resolution.command.intent.type === 'quit') {
      exit();
      return;
    }
    const next = viewReducer(current, resolution.command.intent, { count, pageSize });
    latest.current.view = next;
    setView(next);
  });

  start.current = windowStart(selected, listHeight, start.current);
  const visibleKeys = order.slice(start.current, start.current + listHeight);
  const visible = visibleKeys.flatMap((k) => (tickets[k] ? [tickets[k]] : []));
  const summary = `${order.length} tickets · ${counts.todo} todo · ${counts.in_progress} in progress · ${counts.needs_input} need input · ${counts.review} review · ${counts.done} done`;

  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text color={theme.accent ?? undefined} bold>
        {truncateToWidth(`control-room  ${summary}`, width)}
      </Text>
      <Box flexDirection="column" flexGrow={1}>
        {view.helpOpen ? (
          <HelpOverlay width={width} />
        ) : order.length === 0 ? (
          <EmptyState />
        ) : (
          <TicketList
            rows={visible}
            selectedRow={selected - start.current}
            width={width}
            nowMs={now()}
          />
        )}
      </Box>
      <Footer ctx={ctx} width={width} notice={notice} />
    </Box>
  );
}
