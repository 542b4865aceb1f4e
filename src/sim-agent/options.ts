import { parseArgs } from 'node:util';

/** What the simulated agent was started with. */
export interface SimAgentOptions {
  /** Where each submitted prompt is appended as one JSON line; none when null. */
  log: string | null;
  /** How long one job works, in milliseconds. */
  workMs: number;
  /** Ask for approval after every job, not only after prompts that contain `[approve]`. */
  askEvery: boolean;
  /** Report busy / waiting / idle through the pane's `@agent_state` option, as an agent hook would. */
  stateHook: boolean;
  /** Shown in the banner. */
  name: string | null;
}

export type ParsedArgs =
  | { kind: 'run'; options: SimAgentOptions }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const USAGE = `usage: sim-agent [--log FILE] [--work-ms N] [--ask-every] [--state-hook] [--name NAME]

A simulated coding agent for tests and demos.
  --log FILE     append each submitted prompt to FILE as a JSON line {"at": ISO, "prompt": TEXT}
  --work-ms N    how long each job works, in milliseconds (default 1500)
  --ask-every    ask 'Allow command "npm test"? (y/n)' after every job, not only on [approve]
  --state-hook   set the pane option @agent_state to busy, waiting or idle through tmux
  --name NAME    a name to show in the banner
  -h, --help     show this help
`;

export const DEFAULT_WORK_MS = 1500;
const MAX_WORK_MS = 24 * 60 * 60 * 1000;

/** Reads the command line (without `node` and the script); never throws. */
export function parseSimAgentArgs(args: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        log: { type: 'string' },
        'work-ms': { type: 'string' },
        'ask-every': { type: 'boolean' },
        'state-hook': { type: 'boolean' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: 'help' };

  let workMs = DEFAULT_WORK_MS;
  const rawWork = values['work-ms'];
  if (typeof rawWork === 'string') {
    if (!/^\d+$/.test(rawWork) || Number(rawWork) > MAX_WORK_MS) {
      return {
        kind: 'error',
        message: `--work-ms takes a whole number of milliseconds from 0 to ${MAX_WORK_MS}, not '${rawWork}'`,
      };
    }
    workMs = Number(rawWork);
  }
  const log = typeof values.log === 'string' ? values.log : null;
  if (log === '') return { kind: 'error', message: '--log takes a file name' };

  return {
    kind: 'run',
    options: {
      log,
      workMs,
      askEvery: values['ask-every'] === true,
      stateHook: values['state-hook'] === true,
      name: typeof values.name === 'string' ? values.name : null,
    },
  };
}
