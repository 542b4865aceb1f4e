import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from './helpers/temp-dir.js';

/**
 * `.ci/run` against a real git repository holding a copy of it: it must run the README's test
 * command in a clone alone in a fresh temporary folder, of exactly the commit checked out, and
 * remove that folder afterwards. npm itself is a recording stand-in on PATH (running the real
 * suite from inside the suite would never end); git, bash and mktemp are real.
 */

const CI_RUN = resolve(import.meta.dirname, '..', '..', '.ci', 'run');
const dirs = tempDirsPerTest();

async function git(cwd: string, ...args: string[]): Promise<string> {
  const identity = ['-c', 'user.name=CI Test', '-c', 'user.email=ci@example.invalid'];
  const config = ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
  return (await execa('git', [...identity, ...config, ...args], { cwd })).stdout;
}

/** Writes an executable script. */
function script(file: string, text: string): void {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/**
 * `npm` that records, per call, its arguments, its folder, what is beside that folder, the
 * commit there and the files there; `npm test` exits with NPM_TEST_EXIT.
 */
const RECORDING_NPM = `#!/usr/bin/env bash
set -eu
if [ "\${1:-}" = --version ]; then echo 10.0.0; exit 0; fi
{
  printf 'args=%s\\n' "$*"
  printf 'cwd=%s\\n' "$PWD"
  printf 'beside=%s\\n' "$(ls -A .. | tr '\\n' ' ')"
  printf 'head=%s\\n' "$(git rev-parse HEAD)"
  printf 'files=%s\\n' "$(ls -A | tr '\\n' ' ')"
} >> "$NPM_LOG"
if [ "\${1:-}" = test ]; then exit "\${NPM_TEST_EXIT:-0}"; fi
`;

interface Setup {
  repo: string;
  commit: string;
  ciTmp: string;
  log: string;
  env: Record<string, string>;
}

/** A repository with `.ci/run`, a README and a source file committed, and some clutter not. */
async function setup(): Promise<Setup> {
  const root = realpathSync(dirs.make());
  const repo = join(root, 'checkout');
  mkdirSync(join(repo, '.ci'), { recursive: true });
  copyFileSync(CI_RUN, join(repo, '.ci', 'run'));
  writeFileSync(join(repo, 'README.md'), '# x\n\n```sh\nnpm test   # every test\n```\n');
  writeFileSync(join(repo, 'index.js'), 'export {};\n');
  await git(repo, 'init', '--quiet');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '--quiet', '-m', 'first');
  const commit = (await git(repo, 'rev-parse', 'HEAD')).trim();
  // What a developer's checkout has and a fresh clone does not.
  writeFileSync(join(repo, 'stray.txt'), 'not committed\n');
  mkdirSync(join(repo, 'node_modules'));
  // What a sibling checkout could lend a test that reads `../something`.
  mkdirSync(join(root, 'shared'));

  const bin = join(root, 'bin');
  mkdirSync(bin);
  script(join(bin, 'npm'), RECORDING_NPM);
  // Present, so that .ci/run has nothing to install here.
  script(join(bin, 'sshd'), '#!/bin/sh\nexit 0\n');
  const ciTmp = join(root, 'tmp');
  mkdirSync(ciTmp);
  const log = join(root, 'npm.log');
  const env = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    CI: 'true',
    TMPDIR: ciTmp,
    NPM_LOG: log,
  };
  return { repo, commit, ciTmp, log, env };
}

/** The recorded npm calls, one object of `key=value` lines each. */
function npmCalls(log: string): Record<string, string>[] {
  return readFileSync(log, 'utf8')
    .split(/\n(?=args=)/)
    .filter((block) => block.trim() !== '')
    .map((block) =>
      Object.fromEntries(
        block
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ),
    );
}

function runCi(s: Setup, extra: Record<string, string> = {}) {
  return execa('bash', [join(s.repo, '.ci', 'run')], {
    cwd: s.repo,
    env: { ...s.env, ...extra },
    stdin: 'ignore',
    reject: false,
    timeout: 60_000,
  });
}

describe('.ci/run', () => {
  it('runs npm ci then npm test in a clone of the commit, alone in a fresh folder', async () => {
    const s = await setup();

    const result = await runCi(s);

    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const calls = npmCalls(s.log);
    expect(calls.map((call) => call.args?.split(' ')[0])).toEqual(['ci', 'test']);
    for (const call of calls) {
      expect(call.cwd).toMatch(new RegExp(`^${s.ciTmp}/control-room-ci\\.[^/]+/control-room$`));
      expect(call.beside).toBe('control-room ');
      expect(call.head).toBe(s.commit);
      const files = (call.files ?? '').trim().split(' ');
      expect(files).toEqual(expect.arrayContaining(['.ci', '.git', 'README.md', 'index.js']));
      expect(files).not.toContain('stray.txt');
      expect(files).not.toContain('node_modules');
    }
    expect(readdirSync(s.ciTmp)).toEqual([]);
  }, 90_000);

  it('fails when the tests fail, and still removes its folder', async () => {
    const s = await setup();

    const result = await runCi(s, { NPM_TEST_EXIT: '1' });

    expect(result.exitCode).toBe(1);
    expect(npmCalls(s.log).map((call) => call.args?.split(' ')[0])).toEqual(['ci', 'test']);
    expect(readdirSync(s.ciTmp)).toEqual([]);
  }, 90_000);
});
