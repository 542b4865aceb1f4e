import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { resolvePaths } from '../../src/config/paths.js';
import { AppFailure } from '../../src/domain/index.js';

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
