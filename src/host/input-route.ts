import { SendFailure } from '../domain/index.js';
import { HttpError } from './http-io.js';
import type { Answer } from './idempotency.js';
import type { RouteDeps } from './routes.js';
import { InputBody, parseBody } from './validation.js';

/**
 * `POST /v1/runtimes/{id}/input`: the operator's word on text left in an agent's input line
 * (`runtime-api.md`, input). A clear with the key of the message the text was taken for
 * forgets that key's remembered answer when the pane says its text was the one pasted last, so
 * that a retry with it types it again; one at a time with sends of that key.
 */
export async function inputCall(
  deps: RouteDeps,
  id: string,
  raw: unknown,
  failed: (error: SendFailure) => Promise<Answer>,
): Promise<Answer> {
  const body = parseBody(InputBody, raw);
  if (!deps.driver.input) {
    throw new HttpError(501, 'not_implemented', 'this host cannot act on an input line');
  }
  const input = deps.driver.input.bind(deps.driver);
  const act = async (): Promise<Answer> => {
    try {
      const outcome = await input(id, {
        action: body.action,
        ...(body.idempotencyKey !== undefined ? { idempotencyKey: body.idempotencyKey } : {}),
      });
      if (outcome.keyWasLast && body.action === 'clear' && body.idempotencyKey !== undefined) {
        deps.idempotency.forget(body.idempotencyKey);
      }
      return { status: 200, body: outcome };
    } catch (error) {
      if (!(error instanceof SendFailure)) throw error;
      // Nothing to submit, or an input line the host cannot read: refused, not malformed.
      if (error.error.kind === 'invalid') {
        return {
          status: 422,
          body: { error: { code: 'input_refused', message: error.error.message } },
        };
      }
      return failed(error);
    }
  };
  const key = body.idempotencyKey;
  return key === undefined ? act() : deps.idempotency.exclusive(key, act);
}
