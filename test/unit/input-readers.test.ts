import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectorFor, solidScreen } from '../../src/adapters/tmux/detectors/index.js';
import { sanitize } from '../../src/domain/index.js';
import { fixture } from '../e2e/helpers/cli.js';

/**
 * Each detector reads its agent's input line off sample screens (test/fixtures/
 * input-screens.json): an empty line and the agent's placeholder hint are empty (''), typed text
 * is the text, and a screen without an input line the detector knows is null (cannot tell).
 */

interface Case {
  name: string;
  detector: string;
  expected: string | null;
  plain?: string[];
  styled?: string[];
}

const { cases } = JSON.parse(readFileSync(fixture('input-screens.json'), 'utf8')) as {
  cases: Case[];
};

/** A screen as the driver reads it: a styled capture gives the plain and the solid screen. */
function screens(c: Case): { plain: string[]; solid: string[] } {
  if (c.styled) return { plain: c.styled.map((l) => sanitize(l)), solid: solidScreen(c.styled) };
  const plain = c.plain ?? [];
  return { plain, solid: plain };
}

describe('the input line of each agent, on sample screens', () => {
  it.each(cases.map((c) => [`${c.detector}: ${c.name}`, c] as const))('%s', (_name, c) => {
    const { plain, solid } = screens(c);
    // Blank rows below, as a capture of a taller pane has them, change nothing.
    const padded = (lines: string[]) => [...lines, '', '', ''];
    expect(detectorFor(c.detector).inputText(padded(plain), padded(solid))).toBe(c.expected);
  });

  it('covers every detector, and empty, typed and cannot-tell screens of each agent', () => {
    for (const agent of ['claude', 'codex', 'aider', 'sim']) {
      const mine = cases.filter((c) => c.detector === agent);
      expect(
        mine.some((c) => c.expected === ''),
        agent,
      ).toBe(true);
      expect(
        mine.some((c) => c.expected !== null && c.expected !== ''),
        agent,
      ).toBe(true);
      expect(
        mine.some((c) => c.expected === null),
        agent,
      ).toBe(true);
    }
  });
});

describe('solidScreen', () => {
  it('blanks faint and grey text index for index, carrying the pen across lines', () => {
    const styled = [
      'a \x1b[2mdim\x1b[22m b',
      '\x1b[90mgrey starts here',
      'and goes on\x1b[39m until reset',
      'x \x1b[38;2;120;120;120mrgb grey\x1b[0m y \x1b[38;2;200;40;40mred\x1b[0m',
    ];
    const solid = solidScreen(styled);
    expect(solid).toEqual([
      'a     b',
      '                ',
      '            until reset',
      'x          y red',
    ]);
    expect(solid.map((line) => line.length)).toEqual(styled.map((l) => sanitize(l).length));
  });

  it('keeps an inverse cursor on typed text, and drops one on a faint placeholder', () => {
    expect(solidScreen(['> \x1b[7mf\x1b[27mix'])).toEqual(['> fix']);
    expect(solidScreen(['> \x1b[7mT\x1b[0;2mry "x"\x1b[0m'])).toEqual(['>        ']);
  });

  it('drops every other escape, as the plain screen does', () => {
    expect(solidScreen(['a\x1b]0;title\x07b\x1b[2Jc'])).toEqual(['abc']);
  });
});
