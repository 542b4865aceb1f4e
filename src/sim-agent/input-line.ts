import { fitEnd, oneLine } from './text.js';

/** Pastes at least this long, or with a newline, show as a placeholder on the input line. */
const INLINE_PASTE_MAX = 80;

type Segment = { kind: 'typed'; text: string } | { kind: 'paste'; text: string; label: string };

/**
 * The prompt being composed: typed text and pastes, in order. Its text is exactly what was typed
 * and pasted; long or multi-line pastes are shown as `[Pasted text: N lines, M chars]`, and
 * Backspace removes such a paste whole (as Codex and Claude Code do).
 */
export class InputLine {
  private segments: Segment[] = [];

  get text(): string {
    return this.segments.map((s) => s.text).join('');
  }

  get isEmpty(): boolean {
    return this.segments.length === 0;
  }

  type(text: string): void {
    const last = this.segments.at(-1);
    if (last?.kind === 'typed') last.text += text;
    else this.segments.push({ kind: 'typed', text });
  }

  paste(text: string): void {
    if (text === '') return;
    if (text.length < INLINE_PASTE_MAX && !text.includes('\n')) this.type(text);
    else this.segments.push({ kind: 'paste', text, label: pasteLabel(text) });
  }

  backspace(): void {
    const last = this.segments.at(-1);
    if (last === undefined) return;
    if (last.kind === 'typed') {
      const chars = Array.from(last.text);
      chars.pop();
      last.text = chars.join('');
      if (last.text !== '') return;
    }
    this.segments.pop();
  }

  clear(): void {
    this.segments = [];
  }

  /** What the input line shows, cut from the left to fit in `columns`. */
  display(columns: number): string {
    const shown = this.segments
      .map((s) => (s.kind === 'typed' ? oneLine(s.text) : s.label))
      .join('');
    return fitEnd(shown, Math.max(columns, 1));
  }
}

function pasteLabel(text: string): string {
  const lines = text.split('\n').length;
  return `[Pasted text: ${lines} ${lines === 1 ? 'line' : 'lines'}, ${text.length} chars]`;
}
