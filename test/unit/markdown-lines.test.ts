import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import {
  inlineSegments,
  markdownLines,
  type StyledLine,
} from '../../src/ui/components/markdown-lines.js';
import { truncateLine, wrapSegments } from '../../src/ui/components/styled-text.js';

const texts = (lines: StyledLine[]) => lines.map((l) => l.segments.map((s) => s.text).join(''));
const widest = (lines: StyledLine[]) => Math.max(...texts(lines).map((t) => stringWidth(t)));
const styleOf = (lines: StyledLine[], text: string) =>
  lines.flatMap((l) => l.segments).find((s) => s.text.includes(text))?.style;

describe('markdownLines', () => {
  it('renders headings as bold lines without their hashes', () => {
    const lines = markdownLines('# Impact\n\n## Steps to reproduce ##\nfoo', 80);
    expect(texts(lines)).toEqual(['Impact', '', 'Steps to reproduce', 'foo']);
    expect(lines[0]?.segments).toEqual([{ text: 'Impact', style: 'bold' }]);
    expect(styleOf(lines, 'Steps')).toBe('bold');
    expect(styleOf(lines, 'foo')).toBeUndefined();
  });

  it('does not take a #hashtag for a heading', () => {
    expect(texts(markdownLines('#hashtag here', 80))).toEqual(['#hashtag here']);
  });

  it('renders bullets with a hanging indent when an item wraps', () => {
    const lines = markdownLines('- first item that is long enough to wrap\n* second', 20);
    // The first line is exactly 20 columns: a line may be as wide as the width, never wider.
    expect(texts(lines)).toEqual([
      '• first item that is',
      '  long enough to',
      '  wrap',
      '• second',
    ]);
  });

  it('indents nested bullets and joins an item’s continuation lines', () => {
    const lines = markdownLines('- outer\n  - inner\n    more of inner', 80);
    expect(texts(lines)).toEqual(['• outer', '  • inner more of inner']);
  });

  it('keeps the numbers of a numbered list and hangs under the text after them', () => {
    const lines = markdownLines('9. nine\n10. ten is a longer item here', 16);
    expect(texts(lines)).toEqual(['9. nine', '10. ten is a', '    longer item', '    here']);
  });

  it('keeps fenced code verbatim: not wrapped, not parsed, marked as code', () => {
    const long = `const x = ${'a'.repeat(60)}; // **not bold**`;
    const body = ['Before:', '```ts', '  if (x) {', '', '', long, '```', 'After.'].join('\n');
    const lines = markdownLines(body, 30);
    expect(texts(lines)).toEqual(['Before:', '```ts', '  if (x) {', '', '', long, '```', 'After.']);
    expect(lines[2]?.segments).toEqual([{ text: '  if (x) {', style: 'code' }]);
    expect(lines[5]?.segments).toEqual([{ text: long, style: 'code' }]);
    expect(lines[1]?.segments[0]?.style).toBe('muted');
  });

  it('expands tabs in code so its columns stay where they were', () => {
    const lines = markdownLines('```\nab\tc\n\td\n```', 80);
    expect(texts(lines).slice(1, 3)).toEqual(['ab  c', '    d']);
  });

  it('marks inline code (keeping its backticks) and bold (dropping its stars)', () => {
    const lines = markdownLines('Call `run(**x**)` then **stop it** now', 80);
    expect(lines[0]?.segments).toEqual([
      { text: 'Call ' },
      { text: '`run(**x**)`', style: 'code' },
      { text: ' then ' },
      { text: 'stop it', style: 'bold' },
      { text: ' now' },
    ]);
  });

  it('leaves unmatched markers and intraword underscores alone', () => {
    expect(inlineSegments('a ** b and snake__case__name')).toEqual([
      { text: 'a ** b and snake__case__name' },
    ]);
    expect(inlineSegments('an `unclosed span')).toEqual([{ text: 'an `unclosed span' }]);
  });

  it('joins a paragraph’s lines and wraps it to the width', () => {
    const lines = markdownLines('The username is\nconcatenated into the query string.', 16);
    expect(texts(lines)).toEqual(['The username is', 'concatenated', 'into the query', 'string.']);
  });

  it('wraps CJK and emoji by display width, not by length', () => {
    const cjk = '日本語のテキストは空白なしで続きます';
    const lines = markdownLines(cjk, 10);
    expect(widest(lines)).toBeLessThanOrEqual(10);
    expect(texts(lines)[0]).toBe('日本語のテ');
    expect(texts(lines).join('')).toBe(cjk);

    const emoji = '🔥 fire 🔥🔥🔥🔥🔥 and 👍🏽 thumbs';
    const wrapped = markdownLines(emoji, 7);
    expect(widest(wrapped)).toBeLessThanOrEqual(7);
    expect(texts(wrapped).join('')).toContain('👍🏽'); // a grapheme cluster is never split
  });

  it('never puts a wide character across the edge of the line', () => {
    // "ab" then CJK: at width 5 the third CJK character would need columns 6-7.
    const lines = markdownLines('ab 日本語', 5);
    expect(texts(lines)).toEqual(['ab 日', '本語']);
  });

  it('breaks a word longer than the line (a URL) instead of overflowing', () => {
    const url = `https://example.com/${'x'.repeat(40)}`;
    const lines = markdownLines(`see ${url}`, 20);
    expect(widest(lines)).toBeLessThanOrEqual(20);
    expect(texts(lines).join('')).toBe(`see ${url}`);
  });

  it('keeps one blank line between blocks and none at the ends', () => {
    expect(texts(markdownLines('\n\na\n\n\n\nb\n\n', 80))).toEqual(['a', '', 'b']);
  });

  it('strips escape sequences and bidi controls from the body', () => {
    const body =
      '# Ti\u001b[2Jtle\nclip \u001b]52;c;SGVsbG8=\u0007board \u202eevil\r\n```\n\u001b[31mred\n```';
    const lines = markdownLines(body, 80);
    const all = texts(lines).join('\n');
    expect(all).not.toMatch(/[\u001b\u0007\u202e\r]/);
    expect(texts(lines)).toEqual(['Title', 'clip board evil', '```', 'red', '```']);
  });

  it('renders a rule and a quote', () => {
    const lines = markdownLines('> quoted\n> more\n\n---', 10);
    expect(texts(lines)).toEqual(['│ quoted', '│ more', '', '─'.repeat(10)]);
    expect(texts(markdownLines('> a\n> b', 80))).toEqual(['│ a b']);
  });
});

describe('wrapSegments and truncateLine', () => {
  it('carry extra fields (such as a colour tone) through to each piece', () => {
    const rows = wrapSegments([{ text: 'alpha beta gamma', tone: 'error' as const }], 11);
    expect(rows).toEqual([
      [{ text: 'alpha beta', tone: 'error' }],
      [{ text: 'gamma', tone: 'error' }],
    ]);
  });

  it('cut a styled line to the width and mark the cut', () => {
    const line = [{ text: 'abc' }, { text: 'defgh', style: 'bold' as const }];
    expect(truncateLine(line, 8)).toEqual(line);
    expect(truncateLine(line, 6)).toEqual([{ text: 'abc' }, { text: 'de…', style: 'bold' }]);
    expect(truncateLine(line, 3)).toEqual([{ text: 'ab…' }]);
    expect(truncateLine([{ text: '日本語' }], 4)).toEqual([{ text: '日…' }]);
  });
});
