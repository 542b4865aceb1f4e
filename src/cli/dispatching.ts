import { AppFailure } from '../domain/index.js';
import { Dispatcher } from '../services/dispatch/dispatcher.js';
import type { CliContext } from './context.js';
import { CliDrivers } from './drivers.js';
import { say } from './output.js';
import { shellProfileRefusal } from './pickup-limits.js';
import { terminalSize } from './terminal-size.js';
import { term } from './terminal-text.js';

export interface DispatchTuning {
  attempts?: string;
  readyTimeout?: string;
  /** A long-running dispatcher (`dispatch` without `--once`): one control connection. */
  live?: boolean;
}

function wholeNumber(flag: string, given: string, min: number, max: number): number {
  const value = Number(given);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AppFailure({
      kind: 'usage',
      message: `${flag} ${given}: expected a whole number from ${min} to ${max}`,
    });
  }
  return value;
}

/**
 * A dispatcher for one command, wired to the real database and drivers; it is registered as a
 * live process while `work` runs (its claims are its own), and always unregistered after.
 */
export async function withDispatcher<T>(
  ctx: CliContext,
  role: string,
  tuning: DispatchTuning,
  work: (dispatcher: Dispatcher, drivers: CliDrivers) => Promise<T>,
): Promise<T> {
  const attempts =
    tuning.attempts === undefined
      ? ctx.config.sendAttempts
      : wholeNumber('--attempts', tuning.attempts, 1, 10);
  const readyTimeoutMs =
    tuning.readyTimeout === undefined
      ? ctx.config.readyTimeoutMs
      : wholeNumber('--ready-timeout', tuning.readyTimeout, 1000, 600_000);
  const drivers = new CliDrivers(ctx, { live: tuning.live === true });
  const showProgress = ctx.io.stderr.isTTY === true;
  const dispatcher = new Dispatcher({
    outbox: ctx.outbox(),
    processes: ctx.processes(),
    drivers,
    role,
    attempts,
    sendTimeoutMs: ctx.sendTimeoutMs(),
    readyTimeoutMs,
    newRuntimeSize: () => terminalSize(ctx.io),
    profileRefusal: shellProfileRefusal(ctx),
    ...(showProgress ? { onProgress: (text: string) => void say(ctx.io, term`${text}`) } : {}),
  });
  try {
    dispatcher.start();
    return await work(dispatcher, drivers);
  } finally {
    dispatcher.stop();
    await drivers.close();
  }
}
