import type { InputOutcome, Screen, SendReceipt } from '../../domain/driver.js';
import {
  RUNTIME_INPUTS,
  RUNTIME_STATES,
  type Runtime,
  type RuntimeInput,
  type RuntimeState,
} from '../../domain/runtime.js';

/**
 * Shapes of `runtime-api.md`'s 2xx answers, checked field by field: a host is another program, and
 * nothing it says is trusted to have the right shape. Each parser returns null on a bad shape.
 * Strings are kept as sent; whoever shows them sanitises them (domain/sanitize.ts).
 */

type Json = Record<string, unknown>;

function object(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : null;
}

function str(value: unknown): value is string {
  return typeof value === 'string';
}

function nullableStr(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  return str(value) ? value : undefined;
}

function int(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** A state this version does not know is shown as `unknown` rather than refused. */
function state(value: unknown): RuntimeState | null {
  if (!str(value)) return null;
  return (RUNTIME_STATES as readonly string[]).includes(value)
    ? (value as RuntimeState)
    : 'unknown';
}

export function parseRuntime(value: unknown): Runtime | null {
  const o = object(value);
  if (o === null) return null;
  const runtimeState = state(o.state);
  const profile = nullableStr(o.profile);
  const ticket = nullableStr(o.ticket);
  if (
    !str(o.id) ||
    !str(o.name) ||
    !str(o.cwd) ||
    runtimeState === null ||
    profile === undefined ||
    ticket === undefined ||
    !str(o.createdAt) ||
    !str(o.lastActivityAt)
  ) {
    return null;
  }
  return {
    id: o.id,
    name: o.name,
    profile,
    cwd: o.cwd,
    state: runtimeState,
    ticket,
    createdAt: o.createdAt,
    lastActivityAt: o.lastActivityAt,
    command: str(o.command) ? o.command : '',
    // Optional (a host may not read input lines): absent stays absent, an odd value is unknown.
    ...(o.input === undefined
      ? {}
      : {
          input: (RUNTIME_INPUTS as readonly unknown[]).includes(o.input)
            ? (o.input as RuntimeInput)
            : 'unknown',
        }),
  };
}

export function parseInputOutcome(value: unknown): InputOutcome | null {
  const o = object(value);
  const runtime = parseRuntime(o?.runtime);
  if (o === null || runtime === null || !str(o.text)) return null;
  return { text: o.text, runtime, keyWasLast: o.keyWasLast === true };
}

export function parseRuntimeList(value: unknown): Runtime[] | null {
  const list = object(value)?.runtimes;
  if (!Array.isArray(list)) return null;
  const runtimes: Runtime[] = [];
  for (const item of list) {
    const runtime = parseRuntime(item);
    if (runtime === null) return null;
    runtimes.push(runtime);
  }
  return runtimes;
}

export function parseReceipt(value: unknown): SendReceipt | null {
  const o = object(value);
  if (o === null || !str(o.messageId) || !str(o.deliveredAt)) return null;
  const runtime = parseRuntime(o.runtime);
  if (runtime === null) return null;
  return { messageId: o.messageId, deliveredAt: o.deliveredAt, runtime };
}

export function parseScreen(value: unknown): Screen | null {
  const o = object(value);
  const cursor = object(o?.cursor);
  if (o === null || cursor === null || !int(o.cols) || !int(o.rows)) return null;
  if (!Array.isArray(o.lines) || !o.lines.every(str)) return null;
  if (!int(cursor.x) || !int(cursor.y)) return null;
  return { cols: o.cols, rows: o.rows, lines: o.lines, cursor: { x: cursor.x, y: cursor.y } };
}
