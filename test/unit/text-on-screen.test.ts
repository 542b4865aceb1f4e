import { describe, expect, it } from 'vitest';
import { textOnScreen } from '../../src/domain/index.js';

describe('textOnScreen', () => {
  const prompt =
    'Ticket CR-7 (high): the upload loses its last chunk\nLocation: src/up.ts:40\n\nIssue:\nThe last 4 KB never reach the server.';

  it('finds a prompt echoed by an agent, wrapped, framed and indented', () => {
    const screen = [
      '╭──────────────────────────────╮',
      '│ › Ticket CR-7 (high): the    │',
      '│   upload loses its last chunk│',
      '╰──────────────────────────────╯',
    ];
    expect(textOnScreen(prompt, screen)).toBe(true);
  });

  it('finds a prompt merged into another, and one left in the input line', () => {
    expect(
      textOnScreen(prompt, [
        '› Ticket CR-1 (low): other thingTicket CR-7 (high): the upload loses its last chunk',
      ]),
    ).toBe(true);
    expect(textOnScreen(prompt, ['> The last 4 KB never reach the server.'])).toBe(true);
  });

  it('does not find it on a screen that shows another prompt, or nothing', () => {
    expect(textOnScreen(prompt, ['› Ticket CR-8 (high): the upload loses its first chunk'])).toBe(
      false,
    );
    expect(textOnScreen(prompt, [])).toBe(false);
    expect(textOnScreen(prompt, ['', '   '])).toBe(false);
  });

  it('matches a short text whole', () => {
    expect(textOnScreen('run it', ['› run it'])).toBe(true);
    expect(textOnScreen('run it', ['› ran it'])).toBe(false);
  });
});
