import { describe, expect, it } from 'vitest';
import { promptForTicket } from '../../src/domain/prompt.js';
import type { Severity, Ticket } from '../../src/domain/ticket.js';

type PromptTicket = Parameters<typeof promptForTicket>[0];

const UNSAFE_CHAR = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function ticket(overrides: Partial<Pick<Ticket, keyof PromptTicket>> = {}): PromptTicket {
  return {
    key: 'OPS-101',
    severity: 'high',
    title: 'SQL injection in login',
    location: 'src/auth/login.ts:42',
    body: 'The username is concatenated into the query.',
    suggestedFix: 'Use a parameterised query.',
    ...overrides,
  };
}

describe('promptForTicket', () => {
  it('lays out key, severity, title, location, issue and fix', () => {
    expect(promptForTicket(ticket())).toBe(
      [
        'Ticket OPS-101 (high): SQL injection in login',
        'Location: src/auth/login.ts:42',
        '',
        'Issue:',
        'The username is concatenated into the query.',
        '',
        'Suggested fix:',
        'Use a parameterised query.',
      ].join('\n'),
    );
  });

  it('keeps multi-line body and fix as they are', () => {
    const prompt = promptForTicket(
      ticket({ body: 'Line one.\n\tLine two.', suggestedFix: '1. Do this.\n2. Then that.' }),
    );
    expect(prompt).toContain('Issue:\nLine one.\n\tLine two.');
    expect(prompt).toContain('Suggested fix:\n1. Do this.\n2. Then that.');
  });

  it('trims surrounding whitespace from every free-text field', () => {
    const prompt = promptForTicket(
      ticket({
        title: '  Title  ',
        location: ' a.ts:1 ',
        body: '\n body \n',
        suggestedFix: ' fix\n',
      }),
    );
    expect(prompt).toBe(
      [
        'Ticket OPS-101 (high): Title',
        'Location: a.ts:1',
        '',
        'Issue:',
        'body',
        '',
        'Suggested fix:',
        'fix',
      ].join('\n'),
    );
  });

  it.each<Severity>(['critical', 'high', 'medium', 'low', 'info'])(
    'shows severity %s',
    (severity) => {
      expect(promptForTicket(ticket({ severity })).split('\n')[0]).toBe(
        `Ticket OPS-101 (${severity}): SQL injection in login`,
      );
    },
  );

  it.each([
    { name: 'null', location: null },
    { name: 'empty', location: '' },
  ])('omits the location when it is $name', ({ location }) => {
    expect(promptForTicket(ticket({ location }))).not.toContain('Location:');
  });

  it.each([
    { name: 'empty', body: '' },
    { name: 'whitespace only', body: ' \n\t ' },
    { name: 'escape sequences only', body: '\x1b[0m\x1b]0;title\x07\u202e' },
  ])('omits the issue section when the body is $name', ({ body }) => {
    const prompt = promptForTicket(ticket({ body }));
    expect(prompt).not.toContain('Issue:');
    expect(prompt).toContain('\n\nSuggested fix:\nUse a parameterised query.');
  });

  it.each([
    { name: 'null', suggestedFix: null },
    { name: 'empty', suggestedFix: '' },
    { name: 'whitespace only', suggestedFix: '  \n ' },
    { name: 'escape sequences only', suggestedFix: '\x1b[2J\x9b1;1H' },
  ])('omits the fix section when it is $name', ({ suggestedFix }) => {
    const prompt = promptForTicket(ticket({ suggestedFix }));
    expect(prompt).not.toContain('Suggested fix:');
    expect(prompt.endsWith('Issue:\nThe username is concatenated into the query.')).toBe(true);
  });

  it('is just the header line when every optional section is empty', () => {
    expect(promptForTicket(ticket({ location: null, body: '', suggestedFix: null }))).toBe(
      'Ticket OPS-101 (high): SQL injection in login',
    );
  });

  it('strips escape sequences and unsafe characters from title, location, body and fix', () => {
    const prompt = promptForTicket(
      ticket({
        title: '\x1b[1;31mSQL injection\x1b[0m in \x1b]0;pwned\x07login\u202e',
        location: '\x1b]8;;https://evil.example/\x1b\\src/auth/login.ts:42\x1b]8;;\x1b\\',
        body: 'The username\x1b[2J is \x9d52;c;cm0gLXJmIC8K\x9cconcatenated\r into the query.\x00',
        suggestedFix: '\x1bPq#0~~\x1b\\Use a \u2066parameterised\u2069 query.\x1b]52;c;AAAA',
      }),
    );
    expect(prompt).toBe(
      [
        'Ticket OPS-101 (high): SQL injection in login',
        'Location: src/auth/login.ts:42',
        '',
        'Issue:',
        'The username is concatenated into the query.',
        '',
        'Suggested fix:',
        'Use a parameterised query.',
      ].join('\n'),
    );
    expect(prompt).not.toMatch(UNSAFE_CHAR);
  });

  // Key and severity are validated on the way in, but the prompt must not rely on that.
  it('strips escape sequences from key and severity too', () => {
    const prompt = promptForTicket(
      ticket({
        key: 'OPS-\x1b]52;c;AAAA\x07101\u202e',
        severity: 'high\x1b[2J' as Severity,
      }),
    );
    expect(prompt.split('\n')[0]).toBe('Ticket OPS-101 (high): SQL injection in login');
    expect(prompt).not.toMatch(UNSAFE_CHAR);
  });
});
