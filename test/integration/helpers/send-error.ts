import { type SendError, SendFailure } from '../../../src/domain/index.js';

/** The SendError a send failed with; fails the test when it did not fail, or failed otherwise. */
export async function sendError(sending: Promise<unknown>): Promise<SendError> {
  try {
    await sending;
  } catch (error) {
    if (error instanceof SendFailure) return error.error;
    throw error;
  }
  throw new Error('expected the send to fail, but it was delivered');
}
