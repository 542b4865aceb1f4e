import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { resolvePaths } from '../../src/config/paths.js';
import { AppFailure, formatAppError } from '../../src/domain/index.js';

function failure(text: string) {
  try {
    parseConfig('/etc/cr/config.yaml', text);
  } catch (error) {
    if (error instanceof AppFailure && error.error.kind === 'config') return error.error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig', () => {
  it('takes the defaults for an empty file', () => {
    expect(parseConfig('c.yaml', '')).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toEqual({
      keyPrefix: 'CR',
      theme: 'dark',
      profiles: {},
      sendTimeoutMs: 15000,
      sendAttempts: 3,
      readyTimeoutMs: 60000,
      keys: {},
      detachKey: 'ctrl-]',
    });
  });

  it('reads every setting', () => {
    const config = parseConfig(
      'c.yaml',
      'keyPrefix: OPS\ntheme: light\nsendTimeoutMs: 2000\nsendAttempts: 5\nreadyTimeoutMs: 9000\ndetachKey: ctrl-q\nruntimeFolder: /srv/work\nprofiles:\n  sim:\n    command: [node, sim.js]\n',
    );
    expect(config).toEqual({
      keyPrefix: 'OPS',
      theme: 'light',
      sendTimeoutMs: 2000,
      sendAttempts: 5,
      readyTimeoutMs: 9000,
      detachKey: 'ctrl-q',
      runtimeFolder: '/srv/work',
      keys: {},
      profiles: { sim: { command: ['node', 'sim.js'] } },
    });
  });

  it.each([
    [
      'an unknown key',
      'theme: dark\n\nkeyprefix: OPS\n',
      3,
      'keyprefix',
      /unknown setting; known: keyPrefix/,
    ],
    ['a bad prefix', 'theme: dark\nkeyPrefix: 1x\n', 2, 'keyPrefix', /letter then up to 15/],
    ['a wrong type', 'sendTimeoutMs: soon\n', 1, 'sendTimeoutMs', /number of milliseconds/],
    ['a value out of range', '\nsendTimeoutMs: 5\n', 2, 'sendTimeoutMs', /at least 100/],
    ['too many attempts', 'sendAttempts: 11\n', 1, 'sendAttempts', /at most 10/],
    ['a fraction of an attempt', 'sendAttempts: 1.5\n', 1, 'sendAttempts', /whole number/],
    ['a relative runtime folder', 'runtimeFolder: work\n', 1, 'runtimeFolder', /absolute folder/],
    ['a short ready wait', 'readyTimeoutMs: 10\n', 1, 'readyTimeoutMs', /at least 1000/],
    [
      'a detach key that is Enter',
      'detachKey: ctrl-m\n',
      1,
      'detachKey',
      /not ctrl-\[, h, i, j or m/,
    ],
    ['a detach key without ctrl', 'detachKey: q\n', 1, 'detachKey', /expected ctrl- and a letter/],
  ])('names the file, line and key of %s', (_name, text, line, key, message) => {
    const error = failure(text);
    expect(error.file).toBe('/etc/cr/config.yaml');
    expect(error.line).toBe(line);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(message);
  });

  it('names the profile field that is wrong', () => {
    const error = failure('profiles:\n  sim:\n    command: []\n');
    expect(error.key).toBe('profiles.sim.command');
    expect(error.message).toMatch(/program and its arguments/);
    expect(error.line).toBe(3);
  });

  it('names the line of a YAML syntax error', () => {
    const error = failure('theme: dark\nkeyPrefix: [unclosed\n');
    expect(error.line).toBeGreaterThanOrEqual(2);
    expect(error.message).toMatch(/not valid YAML/);
  });

  it('refuses a file that is not a mapping', () => {
    expect(failure('- a\n- b\n').message).toMatch(/mapping/);
  });
});

describe('parseConfig with several problems', () => {
  const text = [
    'theme: dark', // 1
    'colour: red', // 2
    'profiles:', // 3
    '  fast:', // 4
    '    command: [codex]', // 5
    '    detecter: codex', // 6
    '  mine:', // 7
    '    command: [aider]', // 8
    '    detector: cobol', // 9
    'sendAttempts: 0', // 10
    'keys:', // 11
    '  list.down: [n, jj]', // 12
    '  list.dwn: [x]', // 13
    '',
  ].join('\n');

  it('reports every one, each with its line and key, in the order of the file', () => {
    const checks = [() => [{ path: ['keys', 'list.down', 1], message: '"jj" is not a key' }]];
    const error = (() => {
      try {
        parseConfig('/etc/cr/config.yaml', text, checks);
      } catch (e) {
        if (e instanceof AppFailure && e.error.kind === 'config') return e.error;
        throw e;
      }
      throw new Error('expected the config to be refused');
    })();
    expect(error.problems?.map((p) => [p.line, p.key])).toEqual([
      [2, 'colour'],
      [6, 'profiles.fast.detecter'],
      [9, 'profiles.mine.detector'],
      [10, 'sendAttempts'],
      [12, 'keys.list.down.1'],
    ]);
    const [colour, detecter, detector] = error.problems ?? [];
    expect(colour?.message).toMatch(/^unknown setting; known: keyPrefix, theme, profiles, /);
    // A nested unknown key names the keys of its own level, not the top level's.
    expect(detecter?.message).toBe('unknown setting; known: command, env, detector');
    expect(detector?.message).toBe(
      'unknown detector; known: codex, claude, aider, sim, shell, generic',
    );
    expect(error).toMatchObject({ line: 2, key: 'colour' }); // the first, in front
    const text2 = formatAppError(error);
    expect(text2.split('\n')[0]).toBe('/etc/cr/config.yaml: 5 problems');
    expect(text2).toContain('  /etc/cr/config.yaml:6: profiles.fast.detecter: unknown setting');
  });

  it('takes a detector by its aliases and in any case', () => {
    const config = parseConfig(
      'c.yaml',
      'profiles:\n  a:\n    command: [x]\n    detector: Claude-Code\n',
    );
    expect(config.profiles.a?.detector).toBe('Claude-Code');
  });

  it('refuses an alias bomb with the line of its first alias, before expanding it', () => {
    const bomb = [
      'keyPrefix: OPS',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
      '',
    ].join('\n');
    const error = failure(bomb);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/aliases expand past YAML's limit of 100/);
  });

  it('refuses a key given twice, with its line', () => {
    const error = failure('theme: dark\nkeyPrefix: A\ntheme: light\n');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/not valid YAML: Map keys must be unique/);
  });
});

describe('resolvePaths', () => {
  it('puts everything in --home', () => {
    const paths = resolvePaths({ home: '/h', env: {} });
    expect(paths).toEqual({
      configFile: '/h/config.yaml',
      stateDir: '/h',
      databaseFile: '/h/control-room.db',
      userThemesDir: '/h/themes',
      hostTokensDir: '/h/host-tokens',
    });
  });

  it('takes CONTROL_ROOM_HOME when --home is absent', () => {
    expect(resolvePaths({ env: { CONTROL_ROOM_HOME: '/e' } }).databaseFile).toBe(
      '/e/control-room.db',
    );
  });

  it('follows XDG otherwise', () => {
    const paths = resolvePaths({
      env: { HOME: '/u', XDG_CONFIG_HOME: '/cfg', XDG_STATE_HOME: '/st' },
    });
    expect(paths.configFile).toBe('/cfg/control-room/config.yaml');
    expect(paths.databaseFile).toBe('/st/control-room/control-room.db');
    const fallback = resolvePaths({ env: { HOME: '/u' } });
    expect(fallback.configFile).toBe('/u/.config/control-room/config.yaml');
    expect(fallback.databaseFile).toBe('/u/.local/state/control-room/control-room.db');
  });
});
