export {
  HttpDriverError,
  HttpRuntimeDriver,
  type HttpRuntimeDriverOptions,
} from './http-driver.js';
export {
  backoffMs,
  isRetryable,
  RETRYABLE_KINDS,
  type RetryPolicy,
  sendWithRetry,
} from './retry.js';
