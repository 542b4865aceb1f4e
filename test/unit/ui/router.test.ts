import { describe, expect, it } from 'vitest';
import { bindingMatches } from '../../../src/ui/commands/router.js';
import { charPress, namedPress, pastePress } from '../../../src/ui/input/key-press.js';

describe('bindingMatches', () => {
  it('a typing command takes one grapheme, Unicode included, but no chord or control', () => {
    const text = { text: true } as const;
    for (const typed of ['j', 'é', 'e\u0301', '日', '👍🏽', 'ש', ' ']) {
      expect(bindingMatches(text, charPress(typed))).toBe(true);
    }
    expect(bindingMatches(text, charPress('c', { ctrl: true }))).toBe(false);
    expect(bindingMatches(text, charPress('j', { meta: true }))).toBe(false);
    expect(bindingMatches(text, charPress('\u202e'))).toBe(false);
    expect(bindingMatches(text, namedPress('return'))).toBe(false);
  });

  it('a paste is text for a typing command and nothing else: a pasted q never quits', () => {
    expect(bindingMatches({ text: true }, pastePress('fix the cache 日本'))).toBe(true);
    expect(bindingMatches({ input: 'q' }, pastePress('q'))).toBe(false);
    expect(bindingMatches({ input: 'q' }, charPress('q'))).toBe(true);
    expect(bindingMatches({ input: 'c', ctrl: true }, charPress('c', { ctrl: true }))).toBe(true);
  });

  it('Backspace is DEL, BS or the Delete key', () => {
    expect(bindingMatches({ special: 'backspace' }, namedPress('backspace'))).toBe(true);
    expect(bindingMatches({ special: 'backspace' }, namedPress('delete'))).toBe(true);
  });
});
