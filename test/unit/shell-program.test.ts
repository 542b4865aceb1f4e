import { describe, expect, it } from 'vitest';
import { isShellProgram } from '../../src/domain/index.js';

describe('isShellProgram', () => {
  const shells = [
    'sh',
    'bash',
    'zsh',
    'dash',
    'fish',
    'ksh',
    'mksh',
    'tcsh',
    'csh',
    'nu',
    'pwsh',
    'yash',
    '-bash',
    '-zsh',
    '/bin/bash',
    '/usr/local/bin/fish',
    '-/bin/sh',
    'bash5.2',
    'zsh-5.9',
    'ksh93',
    'pwsh-preview',
    'pwsh.exe',
    'BASH',
    ' bash ',
    'bash -l',
  ];
  const agents = [
    '',
    'node',
    'codex',
    'claude',
    'aider',
    'python3',
    'vim',
    'less',
    'tmux',
    'shellcheck',
    'bashtop',
    'ssh',
    'fishy',
    'zshdb',
    'nvim',
    '/usr/bin/node',
    'sim-agent',
    'shell',
  ];
  it.each(shells)('%j is a shell', (program) => {
    expect(isShellProgram(program)).toBe(true);
  });
  it.each(agents)('%j is not a shell', (program) => {
    expect(isShellProgram(program)).toBe(false);
  });
});
