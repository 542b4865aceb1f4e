import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyPress } from '../../../../src/ui/input/key-press.js';
import { createKeyReader } from '../../../../src/ui/input/key-reader.js';
import { tokenizeKeys } from '../../../../src/ui/input/tokenize.js';
import { chunkedKeys } from './chunked-keys.js';

/** A press as a short name: `j`, `Enter`, `Ctrl-c`, `Alt-j`, `paste:text`. */
function named(press: KeyPress): string {
  const { input, key } = press;
  if (press.paste) return `paste:${input}`;
  const flags: [boolean, string][] = [
    [key.upArrow, 'Up'],
    [key.downArrow, 'Down'],
    [key.leftArrow, 'Left'],
    [key.rightArrow, 'Right'],
    [key.pageUp, 'PgUp'],
    [key.pageDown, 'PgDn'],
    [key.home, 'Home'],
    [key.end, 'End'],
    [key.return, 'Enter'],
    [key.escape, 'Esc'],
    [key.tab, 'Tab'],
    [key.backspace, 'Backspace'],
    [key.delete, 'Delete'],
  ];
  const base = flags.find(([on]) => on)?.[1] ?? input;
  return `${key.ctrl ? 'Ctrl-' : ''}${key.meta ? 'Alt-' : ''}${base}`;
}

const keys = (raw: string) => tokenizeKeys(raw).map(named);

describe('tokenizeKeys: every key of a read', () => {
  it('reads each typed character and control key of a chunk', () => {
    expect(keys('jjj')).toEqual(['j', 'j', 'j']);
    expect(keys('ab\u007f\u007f')).toEqual(['a', 'b', 'Backspace', 'Backspace']);
    expect(keys('\b')).toEqual(['Backspace']);
    expect(keys('p\t')).toEqual(['p', 'Tab']);
    expect(keys('j\r:')).toEqual(['j', 'Enter', ':']);
    expect(keys('\u0003')).toEqual(['Ctrl-c']);
    expect(tokenizeKeys('G')[0]?.key.shift).toBe(true);
  });

  it('reads any Unicode text as graphemes: CJK, emoji, combining marks, RTL', () => {
    expect(keys('日本語')).toEqual(['日', '本', '語']);
    expect(keys('e\u0301x')).toEqual(['e\u0301', 'x']);
    expect(keys('👍🏽🇫🇷👩‍💻')).toEqual(['👍🏽', '🇫🇷', '👩‍💻']);
    expect(keys('שלום')).toEqual(['ש', 'ל', 'ו', 'ם']);
  });

  it('reads each escape sequence as one key, legacy and application mode', () => {
    expect(keys('\u001b[A\u001b[B\u001b[C\u001b[D')).toEqual(['Up', 'Down', 'Right', 'Left']);
    expect(keys('\u001bOA\u001bOB\u001bOH\u001bOF')).toEqual(['Up', 'Down', 'Home', 'End']);
    expect(keys('\u001b[H\u001b[F\u001b[1~\u001b[4~\u001b[7~\u001b[8~')).toEqual([
      'Home',
      'End',
      'Home',
      'End',
      'Home',
      'End',
    ]);
    expect(keys('\u001b[5~\u001b[6~\u001b[3~')).toEqual(['PgUp', 'PgDn', 'Delete']);
    expect(keys('\u001b[1;5A')).toEqual(['Ctrl-Up']);
    expect(keys('j\u001b[Bk')).toEqual(['j', 'Down', 'k']);
  });

  it('reads CSI u (the kitty keyboard protocol) and modifyOtherKeys', () => {
    expect(keys('\u001b[97u\u001b[13u\u001b[9u\u001b[127u\u001b[27u')).toEqual([
      'a',
      'Enter',
      'Tab',
      'Backspace',
      'Esc',
    ]);
    expect(keys('\u001b[99;5u')).toEqual(['Ctrl-c']);
    expect(keys('\u001b[97;2u\u001b[49:33;2u')).toEqual(['A', '!']);
    expect(keys('\u001b[1089::99;1;1089u')).toEqual(['с']);
    expect(keys('\u001b[97;1:2u\u001b[97;1:3u')).toEqual(['a']);
    expect(keys('\u001b[27;5;99~\u001b[27;2;65~\u001b[27;1;13~')).toEqual(['Ctrl-c', 'A', 'Enter']);
  });

  it('Esc alone, twice, and before a sequence; ESC and a character is Alt', () => {
    expect(keys('\u001b')).toEqual(['Esc']);
    expect(keys('\u001b\u001b')).toEqual(['Esc', 'Esc']);
    expect(keys('\u001b\u001b[A')).toEqual(['Esc', 'Up']);
    expect(keys('\u001bj')).toEqual(['Alt-j']);
  });

  it('drops what is no key here: focus, mouse, F-keys, unfinished sequences, C1', () => {
    expect(keys('\u001b[I\u001b[O\u001b[<0;3;4M\u001b[15~\u001bOP\u001b[[A\u0085x')).toEqual(['x']);
    expect(keys('x\u001b[1;')).toEqual(['x']);
  });
});

const START = '\u001b[200~';
const END = '\u001b[201~';

describe('createKeyReader: bracketed paste', () => {
  it('a paste is one press of one-line text, however the reads cut it', () => {
    const whole = `j${START}first line\r\nsecond\tline \u001b[31mred\u001b[0m ✓${END}k`;
    const expected = ['j', 'paste:first line second line red ✓', 'k'];
    expect(createKeyReader().push(whole).map(named)).toEqual(expected);
    for (let cut = 1; cut < whole.length; cut++) {
      const reader = createKeyReader();
      const cutKeys = [...reader.push(whole.slice(0, cut)), ...reader.push(whole.slice(cut))];
      // A cut in the paste or its end mark is the reader's to mend; one in the start mark is
      // Ink's (its parser holds an escape sequence until it is whole).
      const inPaste = cut >= whole.indexOf(START) + START.length;
      if (inPaste) expect(cutKeys.map(named)).toEqual(expected);
    }
  });

  it('pasted keys are not keys: a pasted CR is no Enter, an empty paste is nothing', () => {
    expect(createKeyReader().push(`${START}q\r${END}`).map(named)).toEqual(['paste:q']);
    expect(createKeyReader().push(`${START}${END}j`).map(named)).toEqual(['j']);
  });
});

/** Keys as terminals send them; each reads as exactly one press. */
const KEY_BYTES = [
  'j',
  'k',
  ':',
  '/',
  ' ',
  'é',
  'e\u0301',
  '日',
  '👍🏽',
  '🇫🇷',
  'ש',
  '\r',
  '\t',
  '\u007f',
  '\b',
  '\u0003',
  '\u001b',
  '\u001b[A',
  '\u001bOB',
  '\u001b[5~',
  '\u001b[6~',
  '\u001b[H',
  '\u001b[4~',
  '\u001b[3~',
  '\u001b[97u',
  '\u001b[97;5u',
  '\u001b[27;5;106~',
  `${START}pasted 日本\r\nline${END}`,
];

const chunked = chunkedKeys(KEY_BYTES, 40);

describe('property: chunks read as the keys one by one', () => {
  it('any keys, cut into chunks at random, read as the same presses', () => {
    fc.assert(
      fc.property(chunked, ({ keys: sequence, chunks }) => {
        const single = createKeyReader();
        const oneByOne = sequence.map((bytes) => single.push(bytes));
        expect(oneByOne.every((presses) => presses.length === 1)).toBe(true);
        const reader = createKeyReader();
        expect(chunks.flatMap((chunk) => reader.push(chunk))).toEqual(oneByOne.flat());
      }),
      { numRuns: 300 },
    );
  });
});
