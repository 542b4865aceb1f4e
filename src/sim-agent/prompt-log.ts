import { appendFileSync } from 'node:fs';

/** One line of the prompt log, as written (one JSON object a line). */
export interface PromptLogEntry {
  /** When the prompt was submitted, as an ISO 8601 UTC timestamp. */
  at: string;
  /** The prompt exactly as typed and pasted (pasted CR and CRLF become LF). */
  prompt: string;
}

/**
 * Appends `{"at": ISO, "prompt": TEXT}` and a newline to `file`, synchronously, before the job
 * starts, so a reader that sees the job working finds the prompt. Returns the failure's message.
 */
export function appendPrompt(file: string, prompt: string, at = new Date()): string | null {
  const entry: PromptLogEntry = { at: at.toISOString(), prompt };
  try {
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
