import { Command, CommanderError, Option } from 'commander';
import { sanitize } from '../domain/index.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDispatchCommands } from './commands/dispatch.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerHooksCommand } from './commands/hooks.js';
import { registerHostCommand } from './commands/host.js';
import { registerHostsCommands } from './commands/hosts.js';
import { registerOutboxCommands } from './commands/outbox.js';
import { registerPickupCommand } from './commands/pickup.js';
import { makeRunner } from './commands/runner.js';
import { registerRuntimeCommands } from './commands/runtimes.js';
import { registerTicketCommands } from './commands/tickets.js';
import { registerTuiCommand } from './commands/tui.js';
import { registerWatchCommands } from './commands/watch.js';
import { type Io, write } from './output.js';
import { VERSION } from './version.js';

export function buildProgram(io: Io, env: NodeJS.ProcessEnv, setExitCode: (code: number) => void) {
  const program = new Command('control-room')
    .description(
      'A keyboard-driven control room for operators who run AI coding agents in tmux.\n' +
        'Without a subcommand it opens the control room.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .addOption(
      new Option('--home <dir>', 'one folder for config and state').env('CONTROL_ROOM_HOME'),
    )
    .addOption(
      new Option('--tmux-socket <name>', 'the local tmux server (tmux -L NAME)').env(
        'CONTROL_ROOM_TMUX_SOCKET',
      ),
    )
    .addOption(new Option('--theme <name>', 'colour theme').env('CONTROL_ROOM_THEME'))
    .option('--no-color', 'no colour at all (also NO_COLOR)')
    .addOption(
      new Option('--send-timeout <ms>', 'deadline of one send attempt').env(
        'CONTROL_ROOM_SEND_TIMEOUT_MS',
      ),
    )
    .option('--json', 'machine-readable output on stdout')
    .option('--readonly', 'the control room only watches: no sending, attaching or closing')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Commander's errors quote the arguments they were given: untrusted text.
      writeErr: (text) => io.stderr.write(sanitize(text)),
    });

  const run = makeRunner(io, env, setExitCode);
  registerTicketCommands(program, run);
  registerRuntimeCommands(program, run);
  registerPickupCommand(program, run);
  registerDispatchCommands(program, run);
  registerOutboxCommands(program, run);
  registerHooksCommand(program, run);
  registerHostsCommands(program, run);
  registerHostCommand(program, run);
  registerDoctorCommand(program, run);
  registerWatchCommands(program, run);
  registerDemoCommand(program, run);
  registerTuiCommand(program, run);
  return program;
}

/** Runs the CLI and returns its exit code (`cli.md`: 2 for bad usage or bad input). */
export async function runCli(
  argv: readonly string[],
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, env, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return done || error.exitCode === 0 ? 0 : 2;
    }
    await write(io.stderr, `control-room: ${sanitize(String(error))}\n`);
    return 1;
  }
  return exitCode;
}

export async function main(argv: readonly string[]): Promise<void> {
  const io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
  process.exitCode = await runCli(argv, io, process.env);
}
