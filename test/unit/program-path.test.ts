import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProgram, programOf } from '../../src/adapters/tmux/program-path.js';

/** Real files in a temp folder: an executable, a plain file, a folder, on a PATH of two. */
const root = mkdtempSync(join(tmpdir(), 'cr-unit-path-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const bin = join(root, 'bin');
const other = join(root, 'other');
mkdirSync(bin);
mkdirSync(other);
mkdirSync(join(bin, 'folder'));
writeFileSync(join(bin, 'agent'), '#!/bin/sh\n');
chmodSync(join(bin, 'agent'), 0o755);
writeFileSync(join(bin, 'plain'), 'not a program');
chmodSync(join(bin, 'plain'), 0o644);
writeFileSync(join(other, 'plain'), '#!/bin/sh\n');
chmodSync(join(other, 'plain'), 0o755);
const PATH = `${bin}:${other}`;

describe('findProgram', () => {
  it.each([
    ['a name on PATH', 'agent', PATH, root, join(bin, 'agent')],
    ['a name not on PATH', 'codex', PATH, root, null],
    ['a name on an empty PATH', 'agent', '', root, null],
    ['a non-executable file is skipped for a later one', 'plain', PATH, root, join(other, 'plain')],
    ['a folder is no program', 'folder', bin, root, null],
    ['an absolute path', join(bin, 'agent'), '', '/', join(bin, 'agent')],
    ['an absolute path to a plain file', join(bin, 'plain'), PATH, '/', null],
    ['a relative path, from the folder', './bin/agent', '', root, join(bin, 'agent')],
    ['a relative path, from elsewhere', './bin/agent', PATH, other, null],
    ['nothing', '', PATH, root, null],
  ])('%s', (_what, program, path, cwd, expected) => {
    expect(findProgram(program, path, cwd)).toBe(expected);
  });
});

describe('programOf', () => {
  it.each([
    [['codex'], 'codex'],
    [['codex', '--full-auto'], 'codex'],
    [['codex --full-auto'], 'codex'],
    [['/opt/agent bin/x', 'y'], '/opt/agent bin/x'],
    [[], ''],
  ])('%j runs %j', (command, program) => {
    expect(programOf({ command })).toBe(program);
  });
});
