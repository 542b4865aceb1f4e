import type { Screen } from '../../domain/driver.js';
import { keepSgr } from '../../domain/screen-text.js';
import type { ControlConnection } from './control-connection.js';

/** A pane's size, over a control connection. */
export async function readPaneSize(
  connection: ControlConnection,
  pane: string,
): Promise<{ cols: number; rows: number }> {
  const [line = ''] = await connection.command([
    'display-message',
    '-p',
    '-t',
    pane,
    '#{pane_width} #{pane_height}',
  ]);
  const [cols = 0, rows = 0] = line.split(' ').map(Number);
  return { cols, rows };
}

/**
 * A pane's visible screen as it is now: its lines with their colours (SGR kept, every other
 * sequence dropped), its size and its cursor, over a control connection.
 */
export async function readPaneScreen(connection: ControlConnection, pane: string): Promise<Screen> {
  const [line = ''] = await connection.command([
    'display-message',
    '-p',
    '-t',
    pane,
    '#{pane_width} #{pane_height} #{cursor_x} #{cursor_y}',
  ]);
  const [cols = 0, rows = 0, x = 0, y = 0] = line.split(' ').map(Number);
  const lines = await connection.command(['capture-pane', '-p', '-e', '-t', pane]);
  return { cols, rows, lines: lines.slice(0, rows).map(keepSgr), cursor: { x, y } };
}
