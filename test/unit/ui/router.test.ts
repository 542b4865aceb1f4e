import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { splitPresses } from '../../../src/ui/commands/router.js';

const plain = { ctrl: false, meta: false, shift: false, return: false } as Key;

describe('splitPresses', () => {
  it('splits a chunk of typed keys back into presses, Enter included', () => {
    const presses = splitPresses('jp\r', plain);
    expect(presses.map(([input, key]) => (key.return ? 'Enter' : input))).toEqual([
      'j',
      'p',
      'Enter',
    ]);
    expect(splitPresses('G', plain)).toEqual([['G', plain]]);
    expect(splitPresses('Gg', plain)[0]?.[1].shift).toBe(true);
  });

  it('passes anything else on whole: one key, a control key, text that is not plain', () => {
    expect(splitPresses('j', plain)).toEqual([['j', plain]]);
    const ctrl = { ...plain, ctrl: true };
    expect(splitPresses('cc', ctrl)).toEqual([['cc', ctrl]]);
    expect(splitPresses('日本', plain)).toEqual([['日本', plain]]);
  });
});
