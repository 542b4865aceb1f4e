import { displayWidth } from '../../domain/display-width.js';
import { sanitize } from '../../domain/index.js';
import {
  graphemes,
  type Segment,
  type SegmentStyle,
  type StyledLine,
  wrapSegments,
} from './styled-text.js';

export type { Segment, SegmentStyle, StyledLine } from './styled-text.js';

/**
 * A small Markdown renderer for ticket bodies: enough of the language that importers and people
 * write (headings, lists, code, bold), turned into terminal lines of a known display width.
 * Dependency-free on purpose: a full Markdown library would add HTML, links and images that a
 * terminal cannot show anyway.
 */

const TAB_STOP = 4;

/** Tabs have no fixed width, so code keeps its columns by expanding them to tab stops. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let column = 0;
  for (const { segment } of graphemes.segment(line)) {
    const text = segment === '\t' ? ' '.repeat(TAB_STOP - (column % TAB_STOP)) : segment;
    out += text;
    column += displayWidth(text);
  }
  return out;
}

// "__" only counts at word edges (as in CommonMark), so names like a__b__c in prose stay as written.
const BOLD = /\*\*(?=\S)([\s\S]*?\S)\*\*|(?<!\w)__(?=\S)([\s\S]*?\S)__(?!\w)/;
const CODE_SPAN = /(`+)([\s\S]*?[^`])\1(?!`)/;

/** `code` spans first (nothing inside them is Markdown), then **bold** / __bold__ in the rest. */
export function inlineSegments(text: string, base?: SegmentStyle): Segment[] {
  const out: Segment[] = [];
  const plain = (t: string) => {
    let rest = t;
    for (;;) {
      const m = BOLD.exec(rest);
      if (!m) break;
      if (m.index > 0) out.push(styled(rest.slice(0, m.index), base));
      out.push(styled(m[1] ?? m[2] ?? '', 'bold'));
      rest = rest.slice(m.index + m[0].length);
    }
    if (rest) out.push(styled(rest, base));
  };
  let rest = text;
  for (;;) {
    const m = CODE_SPAN.exec(rest);
    if (!m) break;
    plain(rest.slice(0, m.index));
    // The backticks stay visible: under a no-colour theme they are all that marks the code.
    out.push({ text: m[0], style: 'code' });
    rest = rest.slice(m.index + m[0].length);
  }
  plain(rest);
  return out;
}

const styled = (text: string, style?: SegmentStyle): Segment =>
  style ? { text, style } : { text };

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const BULLET = /^(\s*)([-*+])\s+(.*)$/;
const NUMBERED = /^(\s*)(\d{1,9})([.)])\s+(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const QUOTE_MARK = '│ ';

/** A block being gathered: lines join into it until a blank line or another block starts. */
interface Block {
  marker: string;
  indent: number;
  style?: SegmentStyle;
  text: string;
}

export function markdownLines(text: string, width: number): StyledLine[] {
  const columns = Math.max(1, width);
  const out: StyledLine[] = [];
  let block = null as Block | null;
  let fence: string | null = null;

  const blank = () => {
    // Blank lines are kept, but one at most, and never at the top.
    const last = out[out.length - 1];
    if (last && last.segments.length > 0) out.push({ segments: [] });
  };
  const flush = () => {
    if (!block) return;
    const { marker, indent, style } = block;
    const content = block.text.trim();
    block = null;
    // An empty heading or list marker ("#", "-") says nothing; it is not made a blank line.
    if (!content) return;
    const lead = ' '.repeat(indent);
    // A quote marks every line of itself; a list item hangs its later lines under its text.
    const hang = marker === QUOTE_MARK ? QUOTE_MARK : ' '.repeat(indent + displayWidth(marker));
    const wrapped = wrapSegments(inlineSegments(content, style), columns - displayWidth(hang));
    wrapped.forEach((segments, i) => {
      const prefix = i === 0 ? lead + marker : hang;
      const head = prefix ? [styled(prefix, marker === QUOTE_MARK ? 'muted' : undefined)] : [];
      out.push({ segments: [...head, ...segments] });
    });
  };
  const start = (next: Block) => {
    flush();
    block = next;
  };

  for (const raw of sanitize(text).split('\n')) {
    if (fence !== null) {
      const close = FENCE.exec(raw);
      if (
        close &&
        close[1]?.[0] === fence[0] &&
        (close[1]?.length ?? 0) >= fence.length &&
        !close[2]?.trim()
      ) {
        out.push({ segments: [{ text: raw.trim(), style: 'muted' }] });
        fence = null;
      } else out.push({ segments: raw ? [{ text: expandTabs(raw), style: 'code' }] : [] });
      continue;
    }
    const line = raw.replace(/\t/g, '    ');
    const opening = FENCE.exec(line);
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    const quote = QUOTE.exec(line);
    if (!line.trim()) {
      flush();
      blank();
    } else if (opening && !(opening[1]?.[0] === '`' && opening[2]?.includes('`'))) {
      flush();
      fence = opening[1] ?? '```';
      // The fence lines stay, muted: without colour they are what shows where the code is.
      out.push({ segments: [{ text: line.trim(), style: 'muted' }] });
    } else if (heading) {
      start({ marker: '', indent: 0, style: 'bold', text: heading[2] ?? '' });
      flush();
    } else if (RULE.test(line)) {
      flush();
      out.push({ segments: [{ text: '─'.repeat(Math.min(columns, 40)), style: 'muted' }] });
    } else if (bullet) {
      start({ marker: '• ', indent: nesting(bullet[1] ?? '', columns), text: bullet[3] ?? '' });
    } else if (numbered) {
      const marker = `${numbered[2]}${numbered[3]} `;
      start({ marker, indent: nesting(numbered[1] ?? '', columns), text: numbered[4] ?? '' });
    } else if (quote) {
      if (block?.marker !== QUOTE_MARK) start({ marker: QUOTE_MARK, indent: 0, text: '' });
      if (block) block.text += ` ${quote[1] ?? ''}`;
    } else if (block) {
      // A line that starts nothing new continues the paragraph or list item (lazy continuation).
      block.text += ` ${line}`;
    } else start({ marker: '', indent: 0, text: line });
  }
  flush();
  while (out.length > 0 && out[out.length - 1]?.segments.length === 0) out.pop();
  return out;
}

/** Nested list items indent two columns a level, but never so deep that no text fits. */
function nesting(leading: string, columns: number): number {
  const level = Math.floor(leading.length / 2);
  return Math.min(level * 2, Math.max(0, Math.floor(columns / 2) - 2));
}
