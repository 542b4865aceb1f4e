import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMAND_NAMES, subcommandWord } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
const io = { stdout: sink(), stderr: sink(), stdin: process.stdin } as unknown as Io;
const program = (args: string[]) => buildProgram(io, {}, () => {}, args);

describe('loading only the subcommand a run names', () => {
  it.each([
    [[], undefined],
    [['tickets', 'list'], 'tickets'],
    [['--home', '/h', 'tickets'], 'tickets'],
    [['--home=/h', 'runtimes'], 'runtimes'],
    [['--tmux-socket', 'tickets', 'doctor'], 'doctor'],
    [['--theme', 'light', '--send-timeout', '500', 'pickup', 'CR-1'], 'pickup'],
    [['--json', '--no-color', '--readonly', 'outbox'], 'outbox'],
    [['--readonly'], undefined],
    [['--', 'watch'], 'watch'],
    [['-', 'x'], '-'],
    [['--unknown-flag', 'demo'], 'demo'],
  ])('%j names %s', async (args, word) => {
    expect(subcommandWord(await program([]), args)).toBe(word);
  });

  it('registers every command for help, and the table names them all', async () => {
    const all = await program(['--help']);
    expect(all.commands.map((c) => c.name())).toEqual(COMMAND_NAMES);
  });

  it('registers only the named command, and none for the control room', async () => {
    expect(
      (await program(['--home', '/h', 'tickets', 'list'])).commands.map((c) => c.name()),
    ).toEqual(['tickets']);
    expect((await program(['watch', 'x'])).commands.map((c) => c.name())).toEqual([
      'watch',
      'attach',
    ]);
    expect((await program(['--readonly'])).commands).toEqual([]);
  });

  it('registers every command for a word that is none, so the message can list them', async () => {
    expect((await program(['tikets'])).commands.map((c) => c.name())).toEqual(COMMAND_NAMES);
  });
});
