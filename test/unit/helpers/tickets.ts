import type { HostedRuntime, SendError, SendErrorKind, Ticket } from '../../../src/domain/index.js';
import type { RuntimeEntry } from '../../../src/store/state.js';

export const T0 = '2026-11-25T06:00:00Z';

/** A plain ticket in todo, unbound, with no history; `overrides` win. */
export function makeTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    key: 'OPS-101',
    title: 'SQL injection in login',
    severity: 'high',
    state: 'todo',
    owner: null,
    location: 'src/auth/login.ts:42',
    flaggedBy: null,
    sourceHash: null,
    body: 'The username is concatenated into the query.',
    suggestedFix: null,
    runtime: null,
    lastError: null,
    messages: [],
    events: [],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** A runtime as a host lists it; `overrides` win. */
export function makeRuntime(overrides: Partial<HostedRuntime> = {}): HostedRuntime {
  return {
    id: 'rt_1',
    name: 'mc-1',
    profile: 'codex',
    cwd: '/srv/work/mc-1',
    state: 'idle',
    ticket: null,
    createdAt: T0,
    lastActivityAt: T0,
    command: 'codex',
    host: 'h1',
    ...overrides,
  };
}

export function makeRuntimeEntry(overrides: Partial<RuntimeEntry> = {}): RuntimeEntry {
  return { ...makeRuntime(overrides), gone: false, ...overrides };
}

/** The status code a host answers with for each kind (null where nothing answered). */
export const STATUS_FOR_KIND: Record<SendErrorKind, number | null> = {
  busy: 409,
  auth: 401,
  server: 503,
  timeout: null,
  post_send: null,
  unreachable: null,
  not_found: 404,
  invalid: 422,
  input_not_empty: 409,
};

export function makeSendError(
  kind: SendErrorKind,
  overrides: { host?: string; status?: number | null; message?: string; bodySent?: boolean } = {},
): SendError {
  const base = {
    host: overrides.host ?? 'h1',
    status: overrides.status === undefined ? STATUS_FOR_KIND[kind] : overrides.status,
    message: overrides.message ?? `the host said ${kind}`,
  };
  if (kind === 'timeout') return { ...base, kind, bodySent: overrides.bodySent ?? true };
  return { ...base, kind };
}

/** Freezes a value and everything reachable from it, so any mutation throws (ESM is strict). */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  }
  return value;
}
