import chalk from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import inkColorize from '../../../node_modules/ink/build/colorize.js';
import colorize from '../../../src/ui/ink/colorize.js';

const COLOURS = [
  undefined,
  '',
  'red',
  'blueBright',
  'gray',
  '#5fafff',
  '#FFF',
  '#3a3a5a',
  'ansi256(196)',
  'ansi256( 7 )',
  'ansi256(x)',
  'rgb(255, 135, 0)',
  'rgb(1,2,3)',
  'rgb(bad)',
  'chartreuse',
];
const TEXTS = ['plain', '', 'two\nlines', `a ${chalk.red('red')} word`, '漢字 ›'];
const initialLevel = chalk.level;

afterEach(() => {
  chalk.level = initialLevel;
});

describe('the bundle colorize (cached chalk functions)', () => {
  it.each([0, 1, 2, 3] as const)('writes what Ink 6.8 writes at colour level %i', (level) => {
    chalk.level = level;
    for (const color of COLOURS) {
      for (const type of ['foreground', 'background'] as const) {
        for (const text of TEXTS) {
          // Twice: the second call is served from the cache.
          expect(colorize(text, color, type), `${color} ${type}`).toBe(
            inkColorize(text, color as string, type),
          );
          expect(colorize(text, color, type)).toBe(inkColorize(text, color as string, type));
        }
      }
    }
  });

  it('follows a change of level after a colour was cached', () => {
    chalk.level = 3;
    const truecolour = colorize('x', '#5fafff', 'foreground');
    chalk.level = 1;
    expect(colorize('x', '#5fafff', 'foreground')).not.toBe(truecolour);
    expect(colorize('x', '#5fafff', 'foreground')).toBe(inkColorize('x', '#5fafff', 'foreground'));
  });
});
