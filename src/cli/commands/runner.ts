import { CliContext, type GlobalOptions } from '../context.js';
import { type Io, reportFailure } from '../output.js';

/** A subcommand's body: a number it returns is the exit code; anything else means success. */
export type CommandBody<A extends unknown[]> = (ctx: CliContext, ...args: A) => Promise<unknown>;

export interface RunnerOptions {
  /** Go on with the default config when the config file is bad (for `doctor`, which reports it). */
  tolerateBadConfig?: boolean;
}

export type CommandRunner = <A extends unknown[]>(
  body: CommandBody<A>,
  options?: RunnerOptions,
) => (...args: unknown[]) => Promise<void>;

/**
 * Wraps each subcommand: builds its context from the global options, reports typed failures
 * with their exit code, and always closes the database.
 */
export function makeRunner(
  io: Io,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): CommandRunner {
  return <A extends unknown[]>(body: CommandBody<A>, options: RunnerOptions = {}) =>
    async (...args) => {
      // Commander passes the positional arguments, the options, then the Command itself.
      const command = args[args.length - 1] as { optsWithGlobals(): GlobalOptions };
      let ctx: CliContext | undefined;
      try {
        ctx = await CliContext.create(io, command.optsWithGlobals(), env);
        if (ctx.configProblem && !options.tolerateBadConfig) throw ctx.configProblem;
        const code = await body(ctx, ...(args.slice(0, -1) as A));
        setExitCode(typeof code === 'number' ? code : 0);
      } catch (error) {
        setExitCode(await reportFailure(io, ctx ? ctx.failureOf(error) : error));
      } finally {
        ctx?.close();
      }
    };
}
