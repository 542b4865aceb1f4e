import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { createAppStore, stateWithTickets } from '../../../src/store/index.js';
import { App } from '../../../src/ui/App.js';
import {
  candidates,
  commandLineOutcome,
  complete,
  parseCommand,
} from '../../../src/ui/command-line.js';
import type { CommandContext } from '../../../src/ui/commands/registry.js';
import { ServicesProvider, type TuiServices } from '../../../src/ui/services-context.js';
import { Providers, useTheme } from '../../../src/ui/store-context.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';
import { KEYS, ticket, waitForFrame } from './render-app.js';

const THEMES = ['dark', 'high-contrast', 'light', 'no-color'];

describe('the command line, pure', () => {
  const onTickets: CommandContext = {
    view: { selected: 0, helpOpen: false },
    ticketCount: 1,
    selected: { state: 'todo', sending: false },
    choiceCount: 0,
  };
  it.each([
    ['runtimes', onTickets, { kind: 'intent', intent: { type: 'showScreen', screen: 'runtimes' } }],
    ['theme light', onTickets, { kind: 'theme', name: 'light' }],
    ['pickup', onTickets, { kind: 'intent', intent: { type: 'openChooser' } }],
    [
      'pickup',
      { ...onTickets, readonly: true },
      {
        kind: 'notice',
        text: 'pick it up: read-only (--readonly): this control room only watches',
      },
    ],
    [
      'pickup',
      { ...onTickets, selected: { state: 'done', sending: false } },
      { kind: 'notice', text: 'pick it up: it is done; only a todo ticket is picked up' },
    ],
    [
      'nope',
      onTickets,
      { kind: 'notice', text: expect.stringMatching(/^:nope: not a command; try :tickets/) },
    ],
  ])(':%s comes to what its key would do', (text, ctx, outcome) => {
    expect(commandLineOutcome(text, ctx as CommandContext)).toEqual(outcome);
  });

  it.each([
    ['', ['tickets', 'runtimes', 'pickup', 'theme ', 'help', 'quit']],
    ['t', ['tickets', 'theme ']],
    ['theme ', ['theme dark', 'theme high-contrast', 'theme light', 'theme no-color']],
    ['theme l', ['theme light']],
    ['quit now', []],
  ])('candidates for "%s"', (text, expected) => {
    expect(candidates(text, THEMES)).toEqual(expected);
  });

  it.each([
    ['ru', 'runtimes'],
    ['t', 't'], // tickets and theme share only "t"
    ['th', 'theme '],
    ['theme h', 'theme high-contrast'],
    ['zz', 'zz'],
  ])('Tab completes "%s" to "%s"', (text, expected) => {
    expect(complete(text, THEMES)).toBe(expected);
  });

  it.each([
    ['runtimes', { kind: 'screen', screen: 'runtimes' }],
    ['run', { kind: 'screen', screen: 'runtimes' }],
    [' tickets ', { kind: 'screen', screen: 'tickets' }],
    ['pickup', { kind: 'pickup' }],
    ['q', { kind: 'quit' }],
    ['theme light', { kind: 'theme', name: 'light' }],
    ['theme', { kind: 'unknown', text: 'theme' }],
    ['t', { kind: 'unknown', text: 't' }],
    ['launch', { kind: 'unknown', text: 'launch' }],
  ])('parses "%s"', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});

/** Reports the theme in force to the test, from inside the providers. */
function ThemeProbe({ onTheme }: { onTheme: (name: string) => void }) {
  onTheme(useTheme().name);
  return null;
}

describe('the command line on the screen', () => {
  function renderWithThemes() {
    const store = createAppStore(stateWithTickets([ticket('OPS-1')]));
    const loaded: string[] = [];
    const services: TuiServices = {
      pickup: () => Promise.reject(new Error('not in this test')),
      profiles: [],
      themes: {
        names: THEMES,
        load: async (name) => {
          loaded.push(name);
          return { theme: { ...NO_COLOR_THEME, name }, warning: null };
        },
      },
    };
    let themeSeen = '';
    const instance = render(
      <Providers store={store} theme={NO_COLOR_THEME}>
        <ServicesProvider services={services}>
          <ThemeProbe
            onTheme={(name) => {
              themeSeen = name;
            }}
          />
          <App now={() => Date.parse('2026-11-25T07:00:00Z')} />
        </ServicesProvider>
      </Providers>,
    );
    return { ...instance, loaded, theme: () => themeSeen };
  }

  it(':run Tab Enter shows the runtimes; :theme li Tab Enter switches the theme', async () => {
    const { lastFrame, stdin, loaded, theme, unmount } = renderWithThemes();
    stdin.write(':');
    await waitForFrame(lastFrame, (f) => f.includes(':▏'));
    stdin.write('ru');
    stdin.write('\t');
    await waitForFrame(lastFrame, (f) => f.includes(':runtimes▏'));
    stdin.write('\r');
    await waitForFrame(lastFrame, (f) => f.includes('0 runtimes'));
    stdin.write(':theme li');
    stdin.write('\t');
    await waitForFrame(lastFrame, (f) => f.includes(':theme light▏'));
    stdin.write('\r');
    await waitForFrame(lastFrame, (f) => !f.includes('▏') && f.includes('theme light'));
    expect(loaded).toEqual(['light']);
    await waitForFrame(lastFrame, () => theme() === 'light');
    unmount();
  });

  it('says when a command is unknown, and Esc closes the line without running anything', async () => {
    const { lastFrame, stdin, unmount } = renderWithThemes();
    stdin.write(':launch\r');
    await waitForFrame(lastFrame, (f) => f.includes(':launch: not a command'));
    stdin.write(':runtimes');
    await waitForFrame(lastFrame, (f) => f.includes(':runtimes▏'));
    stdin.write(KEYS.escape);
    const closed = await waitForFrame(lastFrame, (f) => !f.includes('▏'));
    expect(closed).toContain('1 tickets');
    unmount();
  });
});
