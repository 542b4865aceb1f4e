import { createHash } from 'node:crypto';
import { textOnScreen } from '../../domain/index.js';
import { textField, textValue } from './format-fields.js';
import { keyDigest } from './paste.js';
import { target } from './tmux-client.js';

type Command = (args: readonly string[]) => Promise<string[]>;

/**
 * What a pane was sent, kept by the pane itself (a pane option), so that every control room,
 * `dispatch` and host that reaches the tmux server sees it: the idempotency key and the text of
 * each of its last 64 pastes, as digests (keys come from host clients; the text is the prompt).
 * Written under the runtime's send lease, so two writers never interleave.
 */
export const SENT_OPTION = '@cr_sent';
export const PANE_SENT_LIMIT = 64;
/** How far back in the pane's history a resend looks for its text. */
const HISTORY_LINES = 500;

export interface SentEntry {
  key: string;
  text: string;
}

/** The text's digest: short, enough to tell prompts apart. */
export function textDigest(clean: string): string {
  return createHash('sha256').update(clean).digest('hex').slice(0, 16);
}

/** The entries of the option's value, oldest first; anything else in it is ignored. */
export function parseSent(value: string): SentEntry[] {
  return value
    .split(' ')
    .map((item) => /^([0-9a-f]{32}):([0-9a-f]{16})$/.exec(item))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ key: m[1] as string, text: m[2] as string }));
}

/** The option's value with `entry` last, the oldest dropped past the limit. */
export function appendSent(value: string, entry: SentEntry): string {
  return [...parseSent(value), entry]
    .slice(-PANE_SENT_LIMIT)
    .map((e) => `${e.key}:${e.text}`)
    .join(' ');
}

export type Earlier =
  /** This very key was pasted here. */
  | { kind: 'key' }
  /** Not the key, but delivery cannot be ruled out: why. */
  | { kind: 'maybe'; reason: string };

export class PaneSent {
  constructor(private readonly command: Command) {}

  /** Remembers a paste of `clean` with `key`; called once the paste may have reached the pane. */
  async remember(paneId: string, key: string, clean: string): Promise<void> {
    const value = appendSent(await this.value(paneId), {
      key: keyDigest(key),
      text: textDigest(clean),
    });
    await this.command(['set-option', '-p', '-t', target.pane(paneId), SENT_OPTION, value]);
  }

  /**
   * Whether `key` was pasted here before; with `resend` (a message whose outcome is unknown),
   * also whether its text was, under another key, or shows in the pane (its input line, the
   * screen, or the history behind it). A pane that cannot be read answers nothing.
   */
  async earlier(paneId: string, key: string, resend: string | null): Promise<Earlier | null> {
    const entries = parseSent(await this.value(paneId).catch(() => ''));
    if (entries.some((e) => e.key === keyDigest(key))) return { kind: 'key' };
    if (resend === null) return null;
    const digest = textDigest(resend);
    if (entries.some((e) => e.text === digest)) {
      return { kind: 'maybe', reason: 'the same text was typed into it by another send' };
    }
    const lines = await this.command([
      'capture-pane',
      '-p',
      '-J',
      '-S',
      String(-HISTORY_LINES),
      '-t',
      target.pane(paneId),
    ]);
    return textOnScreen(resend, lines)
      ? { kind: 'maybe', reason: 'its text shows in the pane' }
      : null;
  }

  /** The last paste remembered here, if any. */
  async last(paneId: string): Promise<SentEntry | undefined> {
    return parseSent(await this.value(paneId)).at(-1);
  }

  /** Forgets the pastes with `key` (their text was cleared): a retry with it types it again. */
  async forget(paneId: string, key: string): Promise<void> {
    const digest = keyDigest(key);
    const kept = parseSent(await this.value(paneId)).filter((e) => e.key !== digest);
    const value = kept.map((e) => `${e.key}:${e.text}`).join(' ');
    await this.command(['set-option', '-p', '-t', target.pane(paneId), SENT_OPTION, value]);
  }

  private async value(paneId: string): Promise<string> {
    const [line = ''] = await this.command([
      'display-message',
      '-p',
      '-t',
      target.pane(paneId),
      // Any process in the pane can set the option: escaped, a line break in it cannot end a
      // control-mode answer early.
      textField(SENT_OPTION),
    ]);
    return textValue(line);
  }
}
