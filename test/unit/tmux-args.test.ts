import { describe, expect, it } from 'vitest';
import {
  commandLine,
  FORMAT_ARGUMENTS,
  formatLiteral,
  newSessionArgs,
  processArg,
  quoteArg,
} from '../../src/adapters/tmux/tmux-args.js';

/**
 * How text is written for tmux, as a table. That tmux reads each form back as the text is
 * checked against the real tmux in test/integration/tmux-args.test.ts.
 */

describe('an argument tmux expands as a format', () => {
  it.each([
    ['plain', 'plain'],
    ['#(touch /tmp/proof)', '##(touch /tmp/proof)'],
    ['/srv/h#H', '/srv/h##H'],
    ['##', '####'],
    ['#{session_id}', '##{session_id}'],
    ['%Y-%m', '%Y-%m'],
  ])('%j is written %j', (text, written) => {
    expect(formatLiteral(text)).toBe(written);
  });

  it('is every one of new-session -s and -c, and nothing else we give text to', () => {
    expect(FORMAT_ARGUMENTS).toEqual({ 'new-session': ['-s', '-c'] });
    const args = newSessionArgs({
      name: 'n#H',
      cwd: '/d#(x)',
      columns: 80,
      rows: 24,
      env: { K: 'v#H' },
      command: ['sh', '-c', 'echo #H'],
    });
    const givenTo = (flag: string) => args[args.indexOf(flag) + 1];
    expect(givenTo('-s')).toBe('n##H');
    expect(givenTo('-c')).toBe('/d##(x)');
    // Not formats in tmux 3.3a: written as they are.
    expect(givenTo('-e')).toBe('K=v#H');
    expect(args.slice(args.indexOf('--') + 1)).toEqual(['sh', '-c', 'echo #H']);
  });
});

describe('an argument of a tmux process', () => {
  it.each([
    ['a;b', 'a;b'],
    ['a;', 'a\\;'],
    [';', '\\;'],
    ['a\\;', 'a\\\\;'],
    ['a\\', 'a\\'],
    ['', ''],
  ])('%j is written %j', (arg, written) => {
    expect(processArg(arg)).toBe(written);
  });
});

describe('an argument on a control-mode line', () => {
  it.each([
    ['send-keys', 'send-keys'],
    ['-t', '-t'],
    ['%3', '%3'],
    ['$3', "'$3'"],
    ['-50', '-50'],
    ['%3:continue', "'%3:continue'"],
    ['~/x', "'~/x'"],
    ['~nosuchuser', "'~nosuchuser'"],
    ['$HOME', "'$HOME'"],
    ['it\'s "so"', "'it'\\''s \"so\"'"],
    ['a;b', "'a;b'"],
    ['#{pane_id}', "'#{pane_id}'"],
    ['{x}', "'{x}'"],
    ['back\\slash', "'back\\slash'"],
    ['', "''"],
    ['tab\there', "'tab\there'"],
    ['é 😀', "'é 😀'"],
  ])('%j is written %j', (arg, written) => {
    expect(quoteArg(arg)).toBe(written);
  });

  it('refuses what no line can carry: a line break or a NUL', () => {
    expect(() => quoteArg('a\nb')).toThrow(/line break/);
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
  });

  it('writes a whole command', () => {
    expect(commandLine(['send-keys', '-t', '%1', '-l', '--', "~/it's"])).toBe(
      "send-keys -t %1 -l -- '~/it'\\''s'",
    );
  });
});
