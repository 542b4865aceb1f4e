import * as z from 'zod/mini';
import { MAX_SEND_BYTES } from '../adapters/tmux/local-driver.js';
import { HttpError } from './http-io.js';

/** Control characters other than tab and newline (C0, DEL and C1). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const noControl = (what: string) =>
  z.refine<string>((value) => !CONTROL.test(value), `${what} holds a control character`);
const label = (max: number) =>
  z
    .string({ error: 'expected text' })
    .check(
      z.minLength(1, 'expected text'),
      z.maxLength(max, `at most ${max} characters`),
      noControl('it'),
    );

export const CreateBody = z.strictObject({
  profile: z
    .string({ error: 'expected a profile name' })
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'expected a profile name')),
  name: z.optional(
    z
      .string({ error: 'expected a session name' })
      .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'expected letters, digits, "-" and "_"')),
  ),
  cwd: z.optional(label(4096).check(z.regex(/^\//, 'expected an absolute path'))),
  worktree: z.optional(
    z.strictObject({
      repo: label(4096).check(z.regex(/^\//, 'expected an absolute path')),
      branch: z.optional(label(200)),
    }),
  ),
  ticket: z.optional(label(128)),
});
export type CreateBody = z.infer<typeof CreateBody>;

export const SendBody = z.strictObject({
  // Sizes and control characters are checked after parsing: too long is 413, not 400.
  text: z.string({ error: 'expected text' }),
  submit: z.optional(z.boolean({ error: 'expected true or false' })),
  ticket: z.optional(label(128)),
  idempotencyKey: label(128),
});
export type SendBody = z.infer<typeof SendBody>;

export const InputBody = z.strictObject({
  action: z.enum(['submit', 'clear'], { error: 'expected "submit" or "clear"' }),
  idempotencyKey: z.optional(label(128)),
});
export type InputBody = z.infer<typeof InputBody>;

/** The body checked against `schema`; 400 `invalid_request` naming the first wrong field. */
export function parseBody<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new HttpError(400, 'invalid_request', 'the body is not valid');
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    const keys = issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ');
    throw new HttpError(400, 'invalid_request', `${where}unknown field ${keys}`);
  }
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new HttpError(400, 'invalid_request', `${where}: ${issue.message}`);
}

/** The send text's own rules: 1 to 262,144 bytes, no control character but tab and newline. */
export function checkSendText(text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes === 0) throw new HttpError(400, 'invalid_request', 'text: expected 1 or more bytes');
  if (bytes > MAX_SEND_BYTES) {
    throw new HttpError(
      413,
      'text_too_large',
      `text: ${bytes} bytes; a prompt is at most ${MAX_SEND_BYTES}`,
    );
  }
  const at = text.search(CONTROL);
  if (at >= 0) {
    const code = (text.codePointAt(at) ?? 0).toString(16).padStart(2, '0');
    throw new HttpError(
      400,
      'invalid_request',
      `text: control character U+00${code.toUpperCase()} at ${at}; only tab and newline are allowed`,
    );
  }
}

/** Longer than this, an id is a malformed request, not a lookup (no runtime id comes close). */
const MAX_ID_LENGTH = 256;

/**
 * Only a malformed id is refused here (400): empty, too long, or holding a control character.
 * Any other id is looked up, and one no runtime has is 404 `runtime_not_found`, whatever it
 * looks like: what an id looks like is the driver's business, not the contract's.
 */
export function checkRuntimeId(id: string): string {
  if (id === '') throw new HttpError(400, 'invalid_request', 'id: expected a runtime id, got none');
  if (id.length > MAX_ID_LENGTH) {
    throw new HttpError(400, 'invalid_request', `id: longer than ${MAX_ID_LENGTH} characters`);
  }
  if (CONTROL.test(id)) {
    throw new HttpError(400, 'invalid_request', 'id: holds a control character');
  }
  return id;
}
