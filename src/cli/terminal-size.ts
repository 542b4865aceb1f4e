import type { RuntimeSpec } from '../domain/index.js';
import type { Io } from './output.js';

export type RuntimeSize = NonNullable<RuntimeSpec['size']>;

/**
 * The operator's terminal (the columns and rows of standard output), the size a runtime started
 * from here gets; none when standard output is not a terminal. Read when a runtime starts, not
 * once: the terminal may have been resized since the control room opened.
 */
export function terminalSize(io: Io): RuntimeSize | undefined {
  const out = io.stdout as Io['stdout'] & { rows?: number };
  if (!out.isTTY || !out.columns || !out.rows) return undefined;
  return { columns: out.columns, rows: out.rows };
}
