import type { RuntimeDriver, SendOptions, SendReceipt } from '../../domain/driver.js';
import { type SendErrorKind, SendFailure } from '../../domain/send-error.js';

/**
 * Retries one send after a failure that a retry can heal: an unknown outcome (timeout, post_send),
 * a host that could not be reached, or a server error. Every attempt carries the SAME options, so
 * the same idempotency key: the host types the text at most once (`runtime-api.md`, send).
 * auth, not_found, invalid and busy are never retried: another attempt cannot change them, and
 * busy is the caller's to handle (it adopts the runtime).
 */

export const RETRYABLE_KINDS: readonly SendErrorKind[] = [
  'timeout',
  'post_send',
  'unreachable',
  'server',
];

export interface RetryPolicy {
  /** Attempts in all, the first included; clamped to 1..10. */
  attempts: number;
  /** First backoff; doubles per retry (default 250 ms). */
  baseDelayMs?: number;
  /** Upper bound of one backoff (default 4000 ms). */
  maxDelayMs?: number;
  /** Seams for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each retry with the failure that caused it. */
  onRetry?: (failure: SendFailure, attempt: number, delayMs: number) => void;
}

export function isRetryable(error: unknown): error is SendFailure {
  return error instanceof SendFailure && RETRYABLE_KINDS.includes(error.error.kind);
}

/** Backoff before retry number `retry` (1-based): half fixed, half jitter, bounded by maxDelayMs. */
export function backoffMs(retry: number, policy: RetryPolicy): number {
  const base = Math.max(0, policy.baseDelayMs ?? 250);
  const max = Math.max(0, policy.maxDelayMs ?? 4_000);
  const ceiling = Math.min(max, base * 2 ** Math.min(retry - 1, 20));
  const random = Math.min(1, Math.max(0, (policy.random ?? Math.random)()));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export async function sendWithRetry(
  driver: RuntimeDriver,
  id: string,
  text: string,
  options: SendOptions,
  policy: RetryPolicy,
): Promise<SendReceipt> {
  const attempts = Math.min(10, Math.max(1, Math.floor(policy.attempts)));
  const sleep = policy.sleep ?? defaultSleep;
  // One frozen copy: no attempt can see another key.
  const fixed: SendOptions = Object.freeze({ ...options });
  for (let attempt = 1; ; attempt++) {
    try {
      return await driver.send(id, text, fixed);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      const delay = backoffMs(attempt, policy);
      policy.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
