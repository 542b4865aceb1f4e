import { Box, Text } from 'ink';
import { sanitizeLine } from '../../domain/index.js';
import type { HostHealth, OutboxCounts } from '../../store/state.js';
import { useTheme } from '../store-context.js';
import { truncateToWidth } from '../text-width.js';

/** One part of the bar: its text and the token it is shown in. */
export interface StatusPart {
  text: string;
  tone: 'ok' | 'bad' | 'warn' | 'plain';
}

/**
 * The hosts and whether each answers, then the outbox: what a glance at the bottom of the
 * screen should tell an operator before anything else.
 */
export function statusParts(
  hosts: Readonly<Record<string, HostHealth>>,
  outbox: OutboxCounts,
): StatusPart[] {
  const parts: StatusPart[] = [];
  const names = Object.keys(hosts).sort((a, b) =>
    a === 'local' ? -1 : b === 'local' ? 1 : a.localeCompare(b),
  );
  for (const name of names) {
    const h = hosts[name] as HostHealth;
    parts.push(
      h.ok
        ? { text: `${sanitizeLine(name)} ✓`, tone: 'ok' }
        : { text: `${sanitizeLine(name)} ✗ ${sanitizeLine(h.detail)}`, tone: 'bad' },
    );
  }
  parts.push({
    text: `outbox: ${outbox.pending} waiting`,
    tone: outbox.pending > 0 ? 'warn' : 'plain',
  });
  if (outbox.unknown > 0) parts.push({ text: `${outbox.unknown} unknown`, tone: 'bad' });
  return parts;
}

export function StatusBar({
  hosts,
  outbox,
  width,
}: {
  hosts: Readonly<Record<string, HostHealth>>;
  outbox: OutboxCounts;
  width: number;
}) {
  const theme = useTheme();
  const colours = { ok: theme.success, bad: theme.error, warn: theme.warning, plain: theme.muted };
  let room = width;
  const shown: (StatusPart & { cut: string })[] = [];
  for (const part of statusParts(hosts, outbox)) {
    if (room <= 1) break;
    const separator = shown.length === 0 ? '' : ' · ';
    const cut = truncateToWidth(`${separator}${part.text}`, room);
    room -= cut.length;
    shown.push({ ...part, cut });
  }
  return (
    <Box>
      {shown.map((part) => (
        <Text key={part.text} color={colours[part.tone] ?? undefined}>
          {part.cut}
        </Text>
      ))}
    </Box>
  );
}
