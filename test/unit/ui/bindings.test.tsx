import { afterEach, describe, expect, it } from 'vitest';
import { parseKey, rebind } from '../../../src/ui/commands/bindings.js';
import { COMMANDS, setActiveCommands } from '../../../src/ui/commands/registry.js';
import { renderApp, ticket, waitForFrame } from './render-app.js';

afterEach(() => setActiveCommands(COMMANDS));

describe('parseKey', () => {
  it.each([
    ['j', { input: 'j' }],
    ['G', { input: 'G' }],
    ['?', { input: '?' }],
    ['down', { special: 'down' }],
    ['PgDn', { special: 'pageDown' }],
    ['enter', { special: 'return' }],
    ['esc', { special: 'escape' }],
    ['ctrl+c', { input: 'c', ctrl: true }],
    ['ctrl-N', { input: 'n', ctrl: true }],
    ['space', { input: ' ' }],
  ])('%s', (text, expected) => {
    expect(parseKey(text)).toEqual(expected);
  });

  it.each(['', 'jj', 'hyper+x', '\u001b'])('refuses "%s"', (text) => {
    expect(parseKey(text)).toBeNull();
  });
});

describe('rebind', () => {
  it('replaces the keys of the commands named, and keeps every other default', () => {
    const { commands, problems } = rebind({ 'list.down': ['n', 'down'] });
    expect(problems).toEqual([]);
    expect(commands.find((c) => c.id === 'list.down')?.keys).toEqual([
      { input: 'n' },
      { special: 'down' },
    ]);
    expect(commands.find((c) => c.id === 'list.up')).toBe(COMMANDS.find((c) => c.id === 'list.up'));
  });

  it('reports an unknown command, a bad key and a typing command, and keeps their defaults', () => {
    const { commands, problems } = rebind({
      'list.dwn': ['x'],
      'list.up': ['kk'],
      'filter.type': ['x'],
    });
    expect(problems).toEqual([
      "keys.list.dwn: no such command (see the README's key table)",
      expect.stringMatching(/^keys\.list\.up: "kk" is not a key/),
      'keys.filter.type: this command takes any typed key and cannot be rebound',
    ]);
    expect(commands.find((c) => c.id === 'list.up')?.keys).toEqual(
      COMMANDS.find((c) => c.id === 'list.up')?.keys,
    );
  });

  it('the screen follows the rebound keys, in its handling, footer and help', async () => {
    setActiveCommands(rebind({ 'list.down': ['x'] }).commands);
    const { lastFrame, stdin, unmount } = renderApp([ticket('A-2'), ticket('A-1')]);
    expect(lastFrame()).toContain('x move down');
    stdin.write('j'); // no longer bound: nothing happens
    stdin.write('x');
    await waitForFrame(lastFrame, (f) =>
      (f.split('\n').find((l) => l.startsWith('›')) ?? '').includes('A-1'),
    );
    stdin.write('?');
    const help = await waitForFrame(lastFrame, (f) => f.includes('Navigation'));
    expect(help).toMatch(/ x\s+move down/);
    unmount();
  });
});
