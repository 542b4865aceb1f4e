import type {
  Runtime,
  RuntimeDriver,
  RuntimeSpec,
  Screen,
  SendOptions,
  SendReceipt,
} from '../../../src/domain/index.js';
import {
  AppFailure,
  type SendError,
  type SendErrorKind,
  SendFailure,
} from '../../../src/domain/index.js';
import type { DriverSource } from '../../../src/services/dispatch/ports.js';

/** One answer of a scripted send: delivered, a failure of the table, or a promise the test settles. */
export type Answer = 'ok' | SendError | Deferred<SendReceipt>;

export interface SendCall {
  id: string;
  text: string;
  options: SendOptions;
}

export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A test may reject it before the send that returns it has got that far (the send waits a
    // turn first): that is not an unhandled rejection, whoever awaits it later still sees it.
    this.promise.catch(() => {});
  }
}

export function runtimeOf(id: string, overrides: Partial<Runtime> = {}): Runtime {
  return {
    id,
    name: `mc-${id}`,
    profile: 'codex',
    cwd: `/srv/${id}`,
    state: 'idle',
    ticket: null,
    createdAt: '2026-11-25T06:00:00Z',
    lastActivityAt: '2026-11-25T06:00:00Z',
    command: 'codex',
    ...overrides,
  };
}

/**
 * A RuntimeDriver in memory: `send` answers from a script, one answer a call (delivered once the
 * script is used up), and records every call; `list` answers `runtimes`.
 */
export class FakeDriver implements RuntimeDriver {
  readonly sends: SendCall[] = [];
  runtimes: Runtime[];
  private readonly script: Answer[] = [];

  constructor(
    readonly host: string,
    runtimes: Runtime[] = [runtimeOf('rt_1')],
  ) {
    this.runtimes = runtimes;
  }

  answer(...answers: Answer[]): this {
    this.script.push(...answers);
    return this;
  }

  setState(id: string, state: Runtime['state']): void {
    this.runtimes = this.runtimes.map((r) => (r.id === id ? { ...r, state } : r));
  }

  async list(): Promise<Runtime[]> {
    return this.runtimes.map((r) => ({ ...r }));
  }

  async create(spec: RuntimeSpec): Promise<Runtime> {
    const runtime = runtimeOf(`rt_${this.runtimes.length + 1}`, { profile: spec.profile });
    this.runtimes.push(runtime);
    return runtime;
  }

  async send(id: string, text: string, options: SendOptions): Promise<SendReceipt> {
    this.sends.push({ id, text, options: { ...options } });
    const answer = this.script.shift() ?? 'ok';
    // A turn of the event loop, so that another dispatcher runs while this send is "on the wire".
    await new Promise((resolve) => setImmediate(resolve));
    if (answer instanceof Deferred) return answer.promise;
    if (answer !== 'ok') throw new SendFailure(answer);
    const runtime = this.runtimes.find((r) => r.id === id) ?? runtimeOf(id);
    return {
      messageId: `hm_${this.sends.length}`,
      deliveredAt: '2026-11-25T06:30:00Z',
      runtime: { ...runtime, state: 'busy' },
    };
  }

  async screen(): Promise<Screen> {
    return { cols: 80, rows: 24, lines: [], cursor: { x: 0, y: 0 } };
  }

  async close(): Promise<void> {}
}

/** The drivers of the given hosts; any other host is not configured. */
export function driversOf(...drivers: RuntimeDriver[]): DriverSource {
  return {
    async driver(host: string) {
      const found = drivers.find((d) => d.host === host);
      if (!found) throw new Error(`no host ${host}`);
      return found;
    },
  };
}

/** Polls `check` until it holds or the deadline passes; never a fixed sleep. */
export async function until(check: () => boolean, what: string, deadlineMs = 10_000) {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A failure of runtime-api.md's table on host h1 (a timeout after the body went out, unless told). */
export function failure(kind: SendErrorKind, bodySent = true): SendError {
  const base = { host: 'h1', status: null, message: `the host said ${kind}` };
  return kind === 'timeout' ? { ...base, kind, bodySent } : { ...base, kind };
}

/** The AppFailure `work` rejects with; fails the test when it goes ahead. */
export async function refusal(work: Promise<unknown>): Promise<AppFailure> {
  const error = await work.then(
    () => new Error('expected a refusal, but it went ahead'),
    (e: unknown) => e,
  );
  if (!(error instanceof AppFailure)) throw error;
  return error;
}
