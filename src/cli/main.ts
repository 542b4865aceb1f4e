import { Command, CommanderError, Option } from 'commander';
import { type CommandRunner, makeRunner } from './commands/runner.js';
import { registerTuiCommand } from './commands/tui.js';
import { BROKEN_PIPE_EXIT, type Io, isBrokenPipe, print, say } from './output.js';
import { termBlock } from './terminal-text.js';
import { VERSION } from './version.js';

type Register = (program: Command, run: CommandRunner) => void;

/**
 * Every subcommand's module, by the top-level commands it defines, in the order help lists them.
 * A run loads only the module of the command it was given (all of them for help, or for a word
 * that is no command): the control room's first frame does not wait for the host server, the
 * importers, the dispatcher and the rest to be compiled.
 */
const COMMAND_MODULES: readonly { names: readonly string[]; load: () => Promise<Register> }[] = [
  {
    names: ['tickets'],
    load: async () => (await import('./commands/tickets.js')).registerTicketCommands,
  },
  {
    names: ['runtimes'],
    load: async () => (await import('./commands/runtimes.js')).registerRuntimeCommands,
  },
  {
    names: ['pickup'],
    load: async () => (await import('./commands/pickup.js')).registerPickupCommand,
  },
  {
    names: ['dispatch'],
    load: async () => (await import('./commands/dispatch.js')).registerDispatchCommands,
  },
  {
    names: ['outbox'],
    load: async () => (await import('./commands/outbox.js')).registerOutboxCommands,
  },
  {
    names: ['hooks'],
    load: async () => (await import('./commands/hooks.js')).registerHooksCommand,
  },
  {
    names: ['hosts'],
    load: async () => (await import('./commands/hosts.js')).registerHostsCommands,
  },
  { names: ['host'], load: async () => (await import('./commands/host.js')).registerHostCommand },
  {
    names: ['doctor'],
    load: async () => (await import('./commands/doctor.js')).registerDoctorCommand,
  },
  {
    names: ['watch', 'attach'],
    load: async () => (await import('./commands/watch.js')).registerWatchCommands,
  },
  { names: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemoCommand },
];

/** The names of every subcommand, for messages that list them without loading them. */
export const COMMAND_NAMES: readonly string[] = COMMAND_MODULES.flatMap((m) => m.names);

/**
 * The first word of `args` that is neither a global option nor its value: the subcommand, if
 * any (`--` ends the options). Global options are read off `program`, so a new one is known here.
 */
export function subcommandWord(program: Command, args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--') return args[i + 1];
    if (!arg.startsWith('-') || arg === '-') return arg;
    if (arg.includes('=')) continue;
    const option = program.options.find((o) => o.long === arg || o.short === arg);
    if (option?.required || option?.optional) i += 1;
  }
  return undefined;
}

/** The subcommand modules a run needs: the one it names, none for the control room, or all. */
function modulesFor(program: Command, args: readonly string[]) {
  const word = subcommandWord(program, args);
  if (word === undefined) {
    const help = args.includes('--help') || args.includes('-h');
    return help ? COMMAND_MODULES : [];
  }
  const named = COMMAND_MODULES.filter((m) => m.names.includes(word));
  // `help`, or a typo: commander's help and suggestions need every command.
  return named.length > 0 ? named : COMMAND_MODULES;
}

/**
 * The CLI: the global options, the subcommands `args` (the arguments after the program's name)
 * needs, and the control room as the default action.
 */
export async function buildProgram(
  io: Io,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
  args: readonly string[],
) {
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
      writeOut: (text) => print(io.stdout, termBlock(text)),
      // Commander's errors quote the arguments they were given: untrusted text.
      writeErr: (text) => print(io.stderr, termBlock(text)),
    });

  const run = makeRunner(io, env, setExitCode);
  const registers = await Promise.all(modulesFor(program, args).map((m) => m.load()));
  for (const register of registers) register(program, run);
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
  const program = await buildProgram(
    io,
    env,
    (code) => {
      exitCode = code;
    },
    argv.slice(2),
  );
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return done || error.exitCode === 0 ? 0 : 2;
    }
    await say(io, termBlock(String(error)));
    return 1;
  }
  return exitCode;
}

export async function main(argv: readonly string[]): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe; a write that finds it closed, awaited or
  // not, ends the command quietly, as a Unix tool does.
  process.stdout.on('error', (error) => {
    if (!isBrokenPipe(error)) throw error;
    process.exit(BROKEN_PIPE_EXIT);
  });
  const io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
  process.exitCode = await runCli(argv, io, process.env);
}
