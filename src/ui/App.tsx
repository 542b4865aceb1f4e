import { Box, Text, useApp } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import { sanitizeLine } from '../domain/index.js';
import {
  selectInputLeft,
  selectPresence,
  selectQueue,
  selectTicketCounts,
  selectUnseenNotifications,
} from '../store/index.js';
import { commandContext } from './command-context.js';
import { candidates, commandLineOutcome, complete } from './command-line.js';
import type { CommandContext } from './commands/registry.js';
import { resolveKey } from './commands/router.js';
import { Footer } from './components/Footer.js';
import { MainPane, SPLIT_MIN_WIDTH } from './components/MainPane.js';
import { NotificationLine } from './components/NotificationLine.js';
import { StatusBar } from './components/StatusBar.js';
import { detailLines } from './components/TicketDetail.js';
import type { KeyPress } from './input/key-press.js';
import { useKeyPresses } from './input/use-key-presses.js';
import { type PickupChoice, pickupChoices } from './pickup-choices.js';
import { useServices } from './services-context.js';
import { useAppStore, useSetTheme, useTheme } from './store-context.js';
import { truncateToWidth } from './text-width.js';
import { filterOrder } from './ticket-filter.js';
import { useLiveScreen } from './use-live-screen.js';
import { usePickups } from './use-pickups.js';
import { useRuntimeActions } from './use-runtime-actions.js';
import { useRuntimeScreen } from './use-runtime-screen.js';
import { useTerminalSize } from './use-terminal-size.js';
import {
  clampSelection,
  INITIAL_VIEW,
  type ViewIntent,
  type ViewState,
  viewReducer,
  windowStart,
} from './view-state.js';

/** Lines around the list: the title bar, the column header, the status bar and the footer. */
const CHROME_LINES = 4;
/** From this width the list gets a live preview of the selected ticket beside it. */
const _SPLIT_MIN_WIDTH = 150;

export function App({
  now = () => Date.now(),
  initialView = INITIAL_VIEW,
}: {
  now?: () => number;
  /** Where the screen opens: the default, a deep link, or where it was before an attach. */
  initialView?: ViewState;
}) {
  const { exit } = useApp();
  const theme = useTheme();
  const { columns, rows } = useTerminalSize();
  const allOrder = useAppStore((s) => s.ticketOrder);
  const tickets = useAppStore((s) => s.tickets);
  const runtimes = useAppStore((s) => s.runtimes);
  const notifications = useAppStore((s) => s.notifications);
  const hosts = useAppStore((s) => s.hosts);
  const outbox = useAppStore((s) => s.outbox);
  const dispatch = useAppStore((s) => s.dispatch);
  // Selectors that build new objects are memoised on their inputs, not run inside useStore.
  // Until the rest of a big list is read (just after the first frame), the stored counts.
  const totals = useAppStore((s) => s.ticketTotals);
  const counts = useMemo(
    () => totals?.byState ?? selectTicketCounts({ ticketOrder: allOrder, tickets }),
    [totals, allOrder, tickets],
  );
  const ticketTotal = totals?.total ?? allOrder.length;
  const unseen = useMemo(() => selectUnseenNotifications({ notifications }), [notifications]);
  const [view, setView] = useState<ViewState>(initialView);
  // The list as filtered: one entry cached, so a render and the keys after it filter once.
  const filtered = useRef({ query: '', source: allOrder, tickets, result: allOrder });
  const orderFor = (query: string): readonly string[] => {
    const cache = filtered.current;
    if (cache.query !== query || cache.source !== allOrder || cache.tickets !== tickets) {
      filtered.current = {
        query,
        source: allOrder,
        tickets,
        result: filterOrder(allOrder, tickets, query),
      };
    }
    return filtered.current.result;
  };
  const order = orderFor(view.filter?.text ?? '');
  const onRuntimes = view.screen === 'runtimes';
  // Shown (its spinner ticking) only when the table is in view, not behind a watched console:
  // every tick is a frame, and a frame in flight delays the console's next one.
  const runtimeScreen = useRuntimeScreen(
    { runtimes, tickets, ticketOrder: allOrder, hosts },
    onRuntimes && !view.watch,
    now,
  );
  const runtimeStart = useRef(0);
  const services = useServices();
  const [notice, setNotice] = useState<string | null>(services.greeting ?? null);
  const onNotice = useCallback((text: string) => setNotice(text), []);
  const pickups = usePickups(onNotice);
  const runtimeActions = useRuntimeActions(onNotice);
  const setTheme = useSetTheme();
  const themeNames = services.themes?.names ?? [];
  const start = useRef(0);

  // Never as tall as the terminal: Ink would clear the whole screen on every frame.
  const height = Math.max(4, rows - 1);
  const width = Math.max(20, columns - 1);
  // The list's height for a view: a key that opens the filter or clears the notifications
  // changes it for the next key of the same chunk, before any render.
  const listHeightFor = (v: ViewState, unseenCount: number): number => {
    const noticeLines = unseenCount > 0 ? 1 : 0;
    const filterLines = v.filter && v.screen !== 'runtimes' ? 1 : 0;
    return Math.max(1, height - CHROME_LINES - noticeLines - filterLines);
  };
  const listHeight = listHeightFor(view, unseen.length);
  const selected = clampSelection(view.selected, order.length);
  const selectedKey = order[selected];
  const selectedTicket = selectedKey === undefined ? undefined : tickets[selectedKey];
  const nowMs = now();
  // Built only while open: the chooser from the runtimes now, the detail's lines for scrolling.
  const choices = view.chooser
    ? pickupChoices(runtimeScreen.rows, pickups.profiles, nowMs, pickups.limits)
    : [];
  const detail =
    view.detail && selectedTicket
      ? detailLines(
          selectedTicket,
          width,
          nowMs,
          selectPresence({ runtimes, hosts }, selectedTicket),
          selectQueue({ tickets, ticketOrder: allOrder, runtimes }, selectedTicket),
          selectInputLeft({ runtimes }),
        )
      : [];
  /** What the commands may look at, for a view (the render's, or one a quicker key made). */
  const contextFor = (v: ViewState, shown: readonly PickupChoice[]): CommandContext =>
    commandContext({
      view: v,
      choiceCount: shown.length,
      choiceDisabled: v.chooser ? shown[v.chooser.selected]?.disabledReason : undefined,
      inFlight: pickups.inFlight(),
      unseen: unseen.length,
      readonly: services.readonly === true,
      runtimeRows: runtimeScreen.rows,
      order: orderFor(v.filter?.text ?? ''),
      tickets,
      isSending: pickups.isSending,
      recorded: runtimeActions.recorded,
    });
  const ctx = contextFor(view, choices);
  const watched = useLiveScreen(
    view.watch ?? null,
    view.watch !== undefined,
    view.watch?.scroll ?? 0,
  );

  // Keys can arrive faster than renders: the handler reads the latest view from this ref, not
  // from the render it was made in, so two quick presses never act on the same stale view.
  const latest = useRef({
    view: ctx.view,
    unseen: unseen.length,
    choices,
    detail: detail.length,
    watchHistory: 0,
  });
  latest.current = {
    ...latest.current,
    unseen: unseen.length,
    choices,
    detail: detail.length,
    watchHistory: watched.screen?.history ?? 0,
  };

  // Every key of a read, in order, each on the view the one before it made (through `latest`).
  useKeyPresses((presses) => {
    for (const one of presses) press(one);
  });

  function press(pressed: KeyPress): void {
    const { input } = pressed;
    const current = contextFor(latest.current.view, latest.current.choices);
    const resolution = resolveKey(pressed, current);
    if (resolution.kind === 'none') return;
    if (resolution.kind === 'disabled') {
      setNotice(`${resolution.command.description}: ${resolution.reason}`);
      return;
    }
    setNotice(null);
    const declared = resolution.command.intent;
    // The typing commands stand for every character: the one typed is the text.
    let intent: ViewIntent =
      declared.type === 'filterText' ||
      declared.type === 'commandText' ||
      declared.type === 'insertText' ||
      declared.type === 'helpText'
        ? { ...declared, text: input }
        : declared;
    if (intent.type === 'completeCommand') {
      intent = { ...intent, text: complete(current.view.command?.text ?? '', themeNames) };
    }
    if (intent.type === 'runCommand') {
      runCommandLine(current);
      return;
    }
    // Runtime commands name the runtime they act on (the screen knows which is selected).
    const target = current.runtime && !('none' in current.runtime) ? current.runtime : undefined;
    if ((intent.type === 'openWatch' || intent.type === 'startInsert') && target) {
      intent = { ...intent, runtime: { host: target.host, id: target.id, name: target.name } };
    }
    if (intent.type === 'attach' && target) {
      runtimeActions.attach(target, current.view);
      return;
    }
    if (intent.type === 'toggleRecord' && target) {
      runtimeActions.toggleRecord(target, { columns, rows });
      return;
    }
    if (intent.type === 'settleInput' && target) {
      runtimeActions.settleInput(
        { host: target.host, id: target.id, name: target.name },
        intent.action,
      );
      return;
    }
    if (intent.type === 'sendInsert' && current.view.insert) {
      runtimeActions.sendLine(current.view.insert, current.view.insert.text);
    }
    const back = intent.type === 'scrollWatch' && intent.pages + (intent.lines ?? 0) > 0;
    if (back && latest.current.watchHistory === 0 && current.view.watch?.scroll === 0) {
      // Say why nothing moves: a new pane has no history yet, and a host's API offers none.
      setNotice(
        current.view.watch.host === 'local'
          ? 'no scrollback yet: nothing has scrolled off this pane'
          : `no scrollback: host ${current.view.watch.host} shows its live screen only`,
      );
      return;
    }
    apply(intent, current);
  }

  /** `:` then Enter: the line closes, and what it names runs as if its key had been pressed. */
  function runCommandLine(current: CommandContext): void {
    const closed = viewReducer(current.view, { type: 'runCommand' }, { count: 0, pageSize: 1 });
    latest.current.view = closed;
    setView(closed);
    const outcome = commandLineOutcome(
      current.view.command?.text ?? '',
      contextFor(closed, latest.current.choices),
    );
    if (outcome.kind === 'notice') setNotice(outcome.text);
    else if (outcome.kind === 'intent') {
      apply(outcome.intent, contextFor(closed, latest.current.choices));
    } else if (!services.themes) setNotice('themes cannot be changed here');
    else {
      void services.themes.load(outcome.name).then(({ theme: next, warning }) => {
        setTheme(next);
        setNotice(warning ?? `theme ${next.name}`);
      });
    }
  }

  function apply(intent: ViewIntent, current: CommandContext): void {
    const pageSize = listHeightFor(current.view, latest.current.unseen);
    if (intent.type === 'quit' && (current.inFlight ?? 0) > 0) {
      const asking: ViewState = { ...current.view, confirmQuit: true };
      latest.current.view = asking;
      setView(asking);
      setNotice(
        `${current.inFlight} pickup(s) under way: quit anyway (its outcome stays unknown)? y/n`,
      );
      return;
    }
    if (intent.type === 'quit' || intent.type === 'quitAnyway') {
      exit();
      return;
    }
    if (intent.type === 'markSeen') {
      dispatch({ type: 'notifications/allSeen' });
      latest.current.unseen = 0;
    }
    if (intent.type === 'sendChoice') {
      const choice = latest.current.choices[current.view.chooser?.selected ?? 0];
      const ticketKey = orderFor(current.view.filter?.text ?? '')[current.view.selected];
      if (choice?.disabledReason) {
        setNotice(`${choice.name} is not a target now: ${choice.disabledReason}`);
        return;
      }
      if (choice && ticketKey) pickups.start(ticketKey, choice.target, choice.name);
    }
    const next = viewReducer(current.view, intent, {
      count: current.ticketCount,
      pageSize,
      choices: latest.current.choices.length,
      choiceEnabled: latest.current.choices.map((c) => !c.disabledReason),
      detailLines: latest.current.detail,
      detailHeight: pageSize + 1,
      watchPage: Math.max(1, pageSize - 1),
      watchHistory: latest.current.watchHistory,
    });
    latest.current.view = next;
    // Presses of one chunk come before the next render: what they act on is made now.
    if (intent.type === 'openChooser') {
      latest.current.choices = pickupChoices(
        runtimeScreen.rows,
        pickups.profiles,
        now(),
        pickups.limits,
      );
    }
    const openTicket = orderFor(next.filter?.text ?? '')[next.selected];
    if (intent.type === 'openDetail' && openTicket && tickets[openTicket]) {
      const opened = tickets[openTicket];
      const presence = selectPresence({ runtimes, hosts }, opened);
      const queue = selectQueue({ tickets, ticketOrder: allOrder, runtimes }, opened);
      const left = selectInputLeft({ runtimes });
      latest.current.detail = detailLines(opened, width, now(), presence, queue, left).length;
    }
    // The windows over the lists follow each key, not each frame: a chunk of keys renders once
    // and must leave the lists scrolled where the same keys one by one leave them.
    const nextOrder = orderFor(next.filter?.text ?? '');
    const nextHeight = listHeightFor(next, latest.current.unseen);
    start.current = windowStart(
      clampSelection(next.selected, nextOrder.length),
      nextHeight,
      start.current,
    );
    runtimeStart.current = windowStart(
      clampSelection(next.runtimeSelected ?? 0, runtimeScreen.rows.length),
      nextHeight,
      runtimeStart.current,
    );
    setView(next);
  }

  start.current = windowStart(selected, listHeight, start.current);
  const visibleKeys = order.slice(start.current, start.current + listHeight);
  const visible = visibleKeys.flatMap((k) => (tickets[k] ? [tickets[k]] : []));
  const runtimeSelected = clampSelection(view.runtimeSelected ?? 0, runtimeScreen.rows.length);
  const previewed = runtimeScreen.rows[runtimeSelected];
  const preview = useLiveScreen(
    previewed ? { host: previewed.host, id: previewed.id } : null,
    onRuntimes && !view.watch && width >= SPLIT_MIN_WIDTH && !view.helpOpen,
  );
  runtimeStart.current = windowStart(runtimeSelected, listHeight, runtimeStart.current);
  const busyCount = runtimeScreen.rows.filter((r) => r.state === 'busy').length;
  const askingCount = runtimeScreen.rows.filter((r) => r.state === 'needs_input').length;
  const runtimeSummary = `${runtimeScreen.rows.length} runtimes · ${busyCount} busy · ${askingCount} need input`;
  const summary = onRuntimes
    ? runtimeSummary
    : `${ticketTotal} tickets · ${counts.todo} todo · ${counts.in_progress} in progress · ${counts.needs_input} need input · ${counts.review} review · ${counts.done} done`;
  const bodyHeight = listHeight + 1;

  const body = (
    <MainPane
      view={view}
      width={width}
      height={bodyHeight}
      nowMs={nowMs}
      selectedTicket={selectedTicket}
      choices={choices}
      ticketRows={visible}
      selectedTicketRow={selected - start.current}
      ticketTotal={ticketTotal}
      ticketsShown={order.length}
      sending={pickups.sending}
      runtimeRows={runtimeScreen.rows.slice(
        runtimeStart.current,
        runtimeStart.current + listHeight,
      )}
      runtimeTotal={runtimeScreen.rows.length}
      selectedRuntimeRow={runtimeSelected - runtimeStart.current}
      spinnerFrame={runtimeScreen.frame}
      activity={runtimeScreen.activity}
      runtimePreview={preview.screen?.lines ?? null}
      watch={
        view.watch
          ? {
              title: `${view.watch.name} on ${view.watch.host}`,
              live: watched,
              recording: runtimeActions.recorded.has(`${view.watch.host}:${view.watch.id}`),
            }
          : undefined
      }
      recorded={runtimeActions.recorded}
    />
  );

  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text color={theme.accent ?? undefined} bold>
        {truncateToWidth(`control-room  ${summary}`, width)}
      </Text>
      {view.filter && !onRuntimes ? (
        <Text color={theme.accent ?? undefined}>
          {truncateToWidth(
            `/${view.filter.text}${view.filter.editing ? '▏' : ''}  ${order.length} of ${ticketTotal}`,
            width,
          )}
        </Text>
      ) : null}
      <Box flexDirection="column" flexGrow={1}>
        {body}
      </Box>
      <NotificationLine unseen={unseen} width={width} />
      <StatusBar hosts={hosts} outbox={outbox} width={width} />
      {view.insert ? (
        <Text color={theme.accent ?? undefined}>
          {truncateToWidth(
            `type into ${sanitizeLine(view.insert.name)}: ${sanitizeLine(view.insert.text)}▏   Enter sends · Esc stops`,
            width,
          )}
        </Text>
      ) : view.command ? (
        <Text color={theme.accent ?? undefined}>
          {truncateToWidth(
            `:${view.command.text}▏   ${candidates(view.command.text, themeNames).join('  ')}`,
            width,
          )}
        </Text>
      ) : (
        <Footer ctx={ctx} width={width} notice={notice} />
      )}
    </Box>
  );
}
