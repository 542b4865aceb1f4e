import { createHash, randomUUID } from 'node:crypto';
import { type TmuxClient, target } from './tmux-client.js';

/** How a prompt reaches a pane: as a paste from a tmux buffer, never as key names. */

/** The text in a tmux buffer of its own, given on stdin (no argument length limit, no shell). */
export async function loadBuffer(tmux: TmuxClient, clean: string): Promise<string> {
  const buffer = `cr-${randomUUID()}`;
  await tmux.run(['load-buffer', '-b', buffer, '-'], { input: clean });
  return buffer;
}

/** Pastes a buffer into a pane and deletes it (`-p`: bracketed when the app asks for it). */
export async function pasteBuffer(
  tmux: TmuxClient,
  command: (args: readonly string[]) => Promise<string[]>,
  paneId: string,
  buffer: string,
): Promise<void> {
  try {
    await command(['paste-buffer', '-p', '-d', '-b', buffer, '-t', target.pane(paneId)]);
  } catch (error) {
    // `-d` deletes the buffer only after a paste: never leave the prompt lying in tmux.
    await tmux.run(['delete-buffer', '-b', buffer]).catch(() => {});
    throw error;
  }
}

/** A pane option: the digest of the idempotency key of the last text pasted into the pane. */
export const LAST_KEY_OPTION = '@cr_last_key';

/** Keys come from host clients too: the pane keeps a digest, safe in any tmux command. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/**
 * Control characters other than tab and newline never reach the pane (ESC least of all: a
 * `\e[201~` in the text would end the bracketed paste early). Everything else is typed as
 * written, so `\e[201~` arrives as the characters `[201~`.
 */
export function sanitizeForPaste(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');
}
