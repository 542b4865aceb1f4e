import type { Runtime } from '../../domain/runtime.js';
import { sanitizeLine } from '../../domain/sanitize.js';
import type { SendError, SendErrorKind } from '../../domain/send-error.js';
import { parseRuntime } from './parse.js';
import type { TransportFault } from './request.js';

/**
 * `runtime-api.md`'s failure table, for the HTTP driver. Every message shown is sanitised, one
 * line, at most MAX_MESSAGE characters, and never carries the host's token.
 */

export const MAX_MESSAGE = 200;
const MAX_EXCERPT = 120;

/** The kind of a non-2xx status; the table's rows, then the nearest row for the rest. */
export function kindForStatus(status: number): Exclude<SendErrorKind, 'timeout'> {
  if (status === 409) return 'busy';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 413 || status === 422) return 'invalid';
  if (status >= 500 && status <= 599) return 'server';
  // Outside the table: the host is overloaded (retryable) or refuses this request.
  if (status === 408 || status === 429) return 'server';
  if (status >= 400 && status <= 499) return 'invalid';
  return 'server';
}

export interface ClassifiedStatus {
  error: SendError;
  /** The error body's `code`, when the body was the contract's JSON. */
  code: string | null;
  /** For `409 runtime_busy`: the runtime the body carried, when it did. */
  runtime: Runtime | null;
}

export function classifyStatus(
  host: string,
  status: number,
  statusText: string,
  body: string,
  secrets: readonly string[],
): ClassifiedStatus {
  const parsed = parseErrorBody(body);
  // A 409 is busy, but for text left in the input line: shown as what it is, never adopted.
  const kind =
    status === 409 && parsed?.code === 'input_not_empty'
      ? 'input_not_empty'
      : kindForStatus(status);
  let message: string;
  if (parsed !== null) {
    message = parsed.message ?? fallbackMessage(status, statusText);
  } else {
    message = excerpt(body) ?? fallbackMessage(status, statusText);
  }
  message = cleanMessage(message, secrets);
  const runtime = kind === 'busy' && parsed !== null ? parsed.runtime : null;
  return { error: { kind, host, status, message }, code: parsed?.code ?? null, runtime };
}

export function classifyTransport(
  host: string,
  fault: TransportFault,
  secrets: readonly string[],
): SendError {
  const message = cleanMessage(fault.message, secrets);
  if (fault.kind === 'timeout') {
    return { kind: 'timeout', host, status: null, message, bodySent: fault.bodySent };
  }
  return { kind: fault.kind, host, status: null, message };
}

/** Sanitised, one line, cut to MAX_MESSAGE, with every secret (the token) blotted out. */
export function cleanMessage(text: string, secrets: readonly string[]): string {
  // Before and after sanitising: dropping control characters could join a split token.
  let out = redact(sanitizeLine(redact(text, secrets)).replace(/\s+/g, ' ').trim(), secrets);
  // Cut after redaction so that a half token can never survive at the end.
  if (out.length > MAX_MESSAGE) out = `${out.slice(0, MAX_MESSAGE - 1)}…`;
  return out;
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('[redacted]');
  }
  return out;
}

function fallbackMessage(status: number, statusText: string): string {
  const text = sanitizeLine(statusText).trim();
  return text.length > 0 ? text : `HTTP ${status}`;
}

interface ErrorBody {
  code: string | null;
  message: string | null;
  runtime: Runtime | null;
}

function parseErrorBody(body: string): ErrorBody | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null)
    return { code: null, message: null, runtime: null };
  const { code, message, runtime } = error as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? sanitizeLine(code).slice(0, 64) : null,
    message: typeof message === 'string' && message.trim().length > 0 ? message : null,
    runtime: runtime === undefined ? null : parseRuntime(runtime),
  };
}

/** A short excerpt of a non-JSON body: an HTML page's title, else its text without tags. */
function excerpt(body: string): string | null {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  const text = (title ?? body)
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ');
  const line = sanitizeLine(decodeEntities(text)).replace(/\s+/g, ' ').trim();
  if (line.length === 0) return null;
  return line.length > MAX_EXCERPT ? `${line.slice(0, MAX_EXCERPT - 1)}…` : line;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

/** `auth 401: message`, `unreachable: message`: the kind first, so the UI can match on it. */
export function endReason(error: SendError): string {
  const status = error.status === null ? '' : ` ${error.status}`;
  return `${error.kind}${status}: ${error.message}`;
}
