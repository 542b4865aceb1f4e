import { homedir } from 'node:os';
import { Box, Text } from 'ink';
import { displayWidth } from '../../domain/display-width.js';
import { runtimeRefKey } from '../../domain/index.js';
import type { RuntimeView } from '../../store/selectors.js';
import { useTheme } from '../store-context.js';
import { padToWidth } from '../text-width.js';
import type { Theme } from '../theme/theme.js';
import {
  layoutRuntimeColumns,
  type RuntimeColumn,
  type RuntimeStateTone,
  runtimeCell,
  runtimeStateTone,
  ticketText,
} from './runtime-columns.js';
import { GUTTER, SELECTED_MARK } from './ticket-columns.js';

interface Props {
  /** Only the rows in view: the list is virtualised, like the ticket list. */
  rows: readonly RuntimeView[];
  /** Index within `rows` of the selection, or -1. */
  selectedRow: number;
  width: number;
  nowMs: number;
  /** Advanced by the caller's clock; the list itself never starts a timer. */
  spinnerFrame: number;
  /** Activity counts per time bucket keyed by `host:id`; a runtime without any shows blank. */
  activity: Readonly<Record<string, readonly number[]>>;
  /** Shown as "~" in local folders; a prop so tests (and frames) do not depend on the machine. */
  home?: string;
  /** `host:id` of the runtimes being recorded: their names are marked. */
  recorded?: ReadonlySet<string>;
}

const NO_SAMPLES: readonly number[] = [];

export function RuntimeList({
  rows,
  selectedRow,
  width,
  nowMs,
  spinnerFrame,
  activity,
  home = homedir(),
  recorded,
}: Props) {
  const theme = useTheme();
  const columns = layoutRuntimeColumns(
    width,
    rows.reduce((widest, view) => Math.max(widest, displayWidth(ticketText(view))), 0),
  );
  const header = GUTTER + columns.map((c) => padToWidth(c.title, c.width)).join(' ');
  return (
    <Box flexDirection="column">
      <Text color={theme.muted ?? undefined} bold>
        {padToWidth(header, width)}
      </Text>
      {rows.map((view, index) => {
        const key = runtimeRefKey(view);
        const selected = index === selectedRow;
        const tone = runtimeStateTone(view);
        const samples = activity[key] ?? NO_SAMPLES;
        const colourOf = (id: RuntimeColumn['id']) => {
          if (id === 'state') return stateColour(theme, tone);
          if (selected) return theme.selection.foreground;
          // A row whose runtime is over fades whole, so live ones are what the eye finds.
          if (tone === 'ended') return theme.muted;
          if (tone === 'failing' && id === 'folder') return theme.error;
          if (id === 'sparkline') return theme.accent;
          return theme.text;
        };
        return (
          <Box key={key}>
            <Text color={theme.focus ?? undefined} bold>
              {selected ? SELECTED_MARK : GUTTER}
            </Text>
            {columns.map((c, at) => (
              <Text
                key={c.id}
                color={colourOf(c.id) ?? undefined}
                backgroundColor={selected ? (theme.selection.background ?? undefined) : undefined}
                inverse={selected && theme.selection.background === null}
                bold={tone === 'attention' && c.id === 'state'}
              >
                {`${padToWidth(
                  runtimeCell(view, c, nowMs, spinnerFrame, {
                    home,
                    samples,
                    recording: recorded?.has(key) ?? false,
                  }),
                  c.width,
                )}${at < columns.length - 1 ? ' ' : ''}`}
              </Text>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}

/** The state column's token: busy is in motion, needs input asks for the operator. */
export function stateColour(theme: Theme, tone: RuntimeStateTone): string | null {
  switch (tone) {
    case 'busy':
      return theme.accent;
    case 'attention':
      return theme.warning;
    case 'ended':
      return theme.muted;
    case 'ready':
      return theme.success;
    case 'failing':
      return theme.error;
    case 'plain':
      return theme.text;
  }
}
