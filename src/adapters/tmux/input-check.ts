import {
  type Profile,
  type RuntimeInput,
  SendFailure,
  sanitize,
  sanitizeLine,
} from '../../domain/index.js';
import { detectorFor, type StateDetector, solidScreen } from './detectors/index.js';
import type { PaneRow } from './runtime-rows.js';
import { target } from './tmux-client.js';

/**
 * The agent's input line, read off its screen before anything is typed: a send that stopped
 * between its paste and its Enter (a crash, a kill -9) leaves its text there, and a paste after
 * it would be submitted together with it as one prompt.
 */

export type Command = (args: readonly string[]) => Promise<string[]>;

/** One styled capture of a pane: plain (states, the frame) and solid (faint placeholders blank). */
export interface PaneLook {
  plain: string[];
  solid: string[];
}

export async function lookAt(command: Command, paneId: string): Promise<PaneLook> {
  const styled = await command(['capture-pane', '-p', '-e', '-t', target.pane(paneId)]);
  return { plain: styled.map((line) => sanitize(line)), solid: solidScreen(styled) };
}

/** The detector of a pane: its profile's, else the session's `@cr_profile`, else the generic one. */
export function detectorOf(row: PaneRow, profile: Profile | null): StateDetector {
  return detectorFor(profile?.detector ?? row.profile ?? null);
}

export interface InputReading {
  input: RuntimeInput;
  /** What is typed in it ('' unless `text`). */
  text: string;
}

export function readInput(detector: StateDetector, look: PaneLook): InputReading {
  const text = detector.inputText(look.plain, look.solid);
  if (text === null) return { input: 'unknown', text: '' };
  return { input: text === '' ? 'empty' : 'text', text };
}

/** The start of untrusted text for a message: one line, at most `max` characters. */
export function excerpt(text: string, max = 40): string {
  const line = sanitizeLine(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Refuses a send (`input_not_empty`, nothing typed) while text is left in the input line. An
 * input line the detector cannot read (an unknown program) does not stop the send: that is no
 * worse than before this check, and such a pane has no known input line to be left in.
 */
export async function refuseLeftInput(
  command: Command,
  row: PaneRow,
  profile: Profile | null,
  host: string,
): Promise<void> {
  const reading = readInput(detectorOf(row, profile), await lookAt(command, row.paneId));
  if (reading.input !== 'text') return;
  const name = sanitizeLine(row.sessionName);
  throw new SendFailure({
    kind: 'input_not_empty',
    host,
    status: null,
    message: `${name} has text left in its input line ("${excerpt(reading.text)}", ${reading.text.length} characters): nothing was typed after it`,
  });
}
