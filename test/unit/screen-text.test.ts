import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import {
  cropScreen,
  cropStyled,
  keepSgr,
  styledWidth,
  styleLines,
} from '../../src/domain/screen-text.js';

const ESC = '\x1b';
const RED = `${ESC}[31m`;
const RESET = `${ESC}[0m`;
const UNSAFE_CHAR = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** The line with its SGR codes removed: what a terminal shows of it. */
const visible = (line: string) => line.replace(/\x1b\[[0-9;:]*m/g, '');

describe('keepSgr', () => {
  it.each([
    ['a colour and its reset', `${RED}red${RESET} plain`, `${RED}red${RESET} plain`],
    ['a bare reset', `x${ESC}[my`, `x${ESC}[my`],
    ['truecolour with colon sub-parameters', `${ESC}[38:2::1:2:3mX`, `${ESC}[38:2::1:2:3mX`],
    ['256 colours', `${ESC}[38;5;196mX${ESC}[39m`, `${ESC}[38;5;196mX${ESC}[39m`],
  ])('keeps SGR: %s', (_name, input, expected) => {
    expect(keepSgr(input)).toBe(expected);
  });

  it.each([
    ['cursor movement', `a${ESC}[2Ab${ESC}[10;20Hc`, 'abc'],
    ['erase line', `keep${ESC}[K`, 'keep'],
    ['OSC title with BEL', `${ESC}]0;pwned${'\x07'}text`, 'text'],
    ['OSC 52 clipboard with ST', `${ESC}]52;c;ZXZpbA==${ESC}\\after`, 'after'],
    ['DCS', `${ESC}Pq#0;2;0;0;0${ESC}\\x`, 'x'],
    ['a private-parameter CSI ending in m (not SGR)', `${ESC}[>4;1mx`, 'x'],
    ['an 8-bit CSI SGR (dropped, not converted)', '\x9b31mx', 'x'],
    ['an 8-bit OSC', '\x9d0;t\x07x', 'x'],
    ['charset selection and save cursor', `${ESC}(0${ESC}7x`, 'x'],
    ['bell, backspace, carriage return, DEL', 'a\x07b\x08c\rd\x7fe', 'abcde'],
    ['bidi override', 'a\u202eb\u2066c', 'abc'],
    ['a tab and a newline, as spaces', 'a\tb\nc', 'a b c'],
    ['an unterminated SGR', `x${ESC}[31`, 'x31'],
  ])('strips %s', (_name, input, expected) => {
    expect(keepSgr(input)).toBe(expected);
  });

  it('leaves plain Unicode alone (the same string back)', () => {
    const line = 'héllo 世界 🙂';
    expect(keepSgr(line)).toBe(line);
  });

  it('never lets an unsafe character or non-SGR escape through', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        const out = keepSgr(input);
        // Only SGR sequences may hold ESC; removing them leaves nothing unsafe.
        expect(UNSAFE_CHAR.test(visible(out))).toBe(false);
        expect(out).not.toMatch(/[\t\n]/);
      }),
    );
  });
});

describe('cropStyled', () => {
  it('leaves a line that fits as it is', () => {
    expect(cropStyled('hello', 5)).toEqual({ text: 'hello', cut: false });
    expect(cropStyled(`${RED}hello${RESET}`, 5)).toEqual({
      text: `${RED}hello${RESET}`,
      cut: false,
    });
    expect(cropStyled('世界', 4)).toEqual({ text: '世界', cut: false });
  });

  it('cuts plain text with the mark in the last column', () => {
    expect(cropStyled('hello world', 6)).toEqual({ text: 'hello›', cut: true });
  });

  it('keeps the SGR before the cut, drops what follows, and resets inside styling', () => {
    const line = `ab${RED}cdefgh${RESET}${ESC}[32mij`;
    expect(cropStyled(line, 5)).toEqual({ text: `ab${RED}cd${RESET}›`, cut: true });
  });

  it('does not reset when the cut falls after the styling ended', () => {
    const line = `${RED}ab${RESET}cdefgh`;
    expect(cropStyled(line, 5)).toEqual({ text: `${RED}ab${RESET}cd›`, cut: true });
  });

  it('counts wide characters as two columns, padding where one would straddle the mark', () => {
    // 4 columns of content fit in 5: 世界 is 4 columns; 世界x in 5 leaves 4 + mark.
    expect(cropStyled('世界xyz', 5)).toEqual({ text: '世界›', cut: true });
    // 3 columns of content: 世 fits, 界 would straddle, so a space pads it.
    expect(cropStyled('世界xyz', 4)).toEqual({ text: '世 ›', cut: true });
    expect(cropStyled(`${RED}世界${RESET}xyz`, 4)).toEqual({
      text: `${RED}世${RESET} ›`,
      cut: true,
    });
  });

  it('handles the smallest widths', () => {
    expect(cropStyled('abc', 1)).toEqual({ text: '›', cut: true });
    expect(cropStyled('abc', 0)).toEqual({ text: '', cut: true });
    expect(cropStyled('', 0)).toEqual({ text: '', cut: false });
  });

  it('always fits the width, and says cut exactly when text was lost', () => {
    const piece = fc.oneof(
      fc.constantFrom(RED, RESET, `${ESC}[1;44m`, '世', '🙂', 'é', ' '),
      fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme-ascii' }),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.integer({ min: 0, max: 40 }),
        (parts, w) => {
          const line = parts.join('');
          const { text, cut } = cropStyled(line, w);
          expect(stringWidth(visible(text))).toBeLessThanOrEqual(w);
          expect(cut).toBe(styledWidth(line) > w);
          if (cut && w > 0) {
            expect(text.endsWith('›')).toBe(true);
            expect(stringWidth(visible(text))).toBe(w);
          }
        },
      ),
    );
  });
});

describe('cropScreen', () => {
  it('crops to the width and height, and says which sides were cut', () => {
    const screen = cropScreen(['abcdef', 'ab', 'more', '', ''], 4, 2);
    expect(screen).toEqual({ lines: ['abc›', 'ab'], cutRight: true, cutBottom: true });
  });

  it('does not count blank rows below as cut', () => {
    const screen = cropScreen(['ab', 'cd', '', `${RESET}`], 4, 2);
    expect(screen).toEqual({ lines: ['ab', 'cd'], cutRight: false, cutBottom: false });
  });

  it('crops a styled 200×50 screen many times over (a sanity loop, no timing asserted)', () => {
    const line = `${RED}${'x'.repeat(60)}${RESET} ${ESC}[1;44m${'世'.repeat(40)}${RESET}${'y'.repeat(55)}`;
    const lines = Array.from({ length: 50 }, (_, i) => `${i} ${line}`);
    let cut = 0;
    for (let i = 0; i < 200; i++) if (cropScreen(lines, 120, 40).cutRight) cut++;
    expect(cut).toBe(200);
  });
});

describe('styleLines', () => {
  it('carries styling into the next line and closes each styled line', () => {
    // What capture-pane -e writes: bold blue runs on into the next line, reset midway there.
    const lines = [
      `${RED}red${ESC}[39m plain ${ESC}[1m${ESC}[44mbold`,
      `more${RESET}tail`,
      'plain',
    ];
    expect(styleLines(lines)).toEqual([
      `${RED}red${ESC}[39m plain ${ESC}[1m${ESC}[44mbold${RESET}`,
      `${ESC}[1;44mmore${RESET}tail`,
      'plain',
    ]);
  });

  it('drops what a later code turns off', () => {
    const [, next] = styleLines([`${ESC}[1;4:3;9m${ESC}[22;29m${ESC}[4:0m${ESC}[7m`, 'y']);
    expect(next).toBe(`${ESC}[7my${RESET}`);
  });

  it('keeps one code per attribute, however many colour changes came before', () => {
    const many = Array.from({ length: 100 }, (_, i) => `${ESC}[3${i % 8}mx`).join('');
    const [, next] = styleLines([`${ESC}[3m${ESC}[38;5;200m${ESC}[48;2;1;2;3m${many}`, 'y']);
    // Italic, the last of the 100 colours (33), the truecolour background: nothing else.
    expect(next).toBe(`${ESC}[3;33;48;2;1;2;3my${RESET}`);
  });
});
