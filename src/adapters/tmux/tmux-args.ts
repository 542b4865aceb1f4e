import { TmuxError } from './tmux-error.js';

/**
 * How our text reaches tmux 3.3a as itself, never as something tmux runs or rewrites. tmux
 * reads text three ways besides the plain one:
 * - as a format, in some arguments of some commands (`FORMAT_ARGUMENTS`): `#(cmd)` runs a shell
 *   command, `#H` is the host name; `##` is a literal `#`, so doubling every `#` keeps any text
 *   as it is (nothing else is special to a format);
 * - as a command list, in a tmux process's arguments: one that ends with `;` ends the command
 *   (the next argument would be read as a command); `\;` at the end is a literal `;`;
 * - as a line of its command language, in control mode: `~`, `$`, `\`, quotes, `#`, `;`, `{`
 *   and a leading `%` are special outside single quotes; inside them, everything but `'` is
 *   itself. A line break or a NUL cannot be carried at all.
 */

/**
 * The arguments of the commands we run that tmux 3.3a expands as formats, checked against the
 * tmux on the test machine (test/integration/tmux-args.test.ts). Not formats there: `-e`, the
 * command after `--`, set-option values (without `-F`), send-keys text (without `-F`), targets.
 */
export const FORMAT_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  'new-session': ['-s', '-c'],
};

/** Text in an argument tmux expands as a format, kept as written. */
export function formatLiteral(text: string): string {
  return text.replaceAll('#', '##');
}

/** One argument of a tmux process, kept whole: a final `;` would end the command there. */
export function processArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/** A tmux process's arguments, each kept whole (see `processArg`). */
export function processArgs(args: readonly string[]): string[] {
  return args.map(processArg);
}

/** Words that are themselves in control mode: plain characters, or a bare pane id (`%3`). */
const BARE = /^(?:%\d+|[A-Za-z0-9_=.:/@+,-][A-Za-z0-9_=.:/%@+,-]*)$/;

/**
 * One argument on a control-mode line. tmux 3.3a reads `%0:continue` bare as a directive, and
 * expands `~` at the start of a double-quoted word: single quotes, with `'` written `'\''`.
 */
export function quoteArg(arg: string): string {
  if (BARE.test(arg)) return arg;
  if (/[\n\0]/.test(arg)) {
    throw new TmuxError('failed', 'a control-mode argument cannot hold a line break or a NUL');
  }
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/** One command as a control-mode line (without its line break). */
export function commandLine(args: readonly string[]): string {
  return args.map(quoteArg).join(' ');
}

export interface NewSession {
  name: string;
  cwd: string;
  columns: number;
  rows: number;
  env: Record<string, string>;
  command: readonly string[];
}

/** `new-session` for a runtime: detached, printing its session id; name and folder as given. */
export function newSessionArgs(session: NewSession): string[] {
  return [
    'new-session',
    '-d',
    '-P',
    '-F',
    '#{session_id}',
    '-s',
    formatLiteral(session.name),
    '-c',
    formatLiteral(session.cwd),
    '-x',
    String(session.columns),
    '-y',
    String(session.rows),
    ...Object.entries(session.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    '--',
    ...session.command,
  ];
}
