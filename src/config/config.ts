import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import * as z from 'zod/mini';
import { DEFAULT_DETACH_KEY, parseDetachKey } from '../adapters/pty/detach-key.js';
import { AppFailure, DETECTOR_NAMES, detectorNamed } from '../domain/index.js';
import type { ConfigCheck } from './parse-config.js';

/** The one config file (YAML): every key optional, every value checked, unknown keys refused. */
export const ConfigSchema = z.strictObject({
  keyPrefix: z._default(
    z
      .string({ error: 'expected text' })
      .check(
        z.regex(
          /^[A-Za-z][A-Za-z0-9_]{0,15}$/,
          'expected a letter then up to 15 letters, digits or "_"',
        ),
      ),
    'CR',
  ),
  theme: z._default(
    z.string({ error: 'expected a theme name' }).check(z.minLength(1, 'expected a theme name')),
    'dark',
  ),
  profiles: z._default(
    z.record(
      z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a profile name: a-z, 0-9, "-"')),
      z.strictObject({
        command: z
          .array(z.string().check(z.minLength(1, 'expected a program name')))
          .check(z.minLength(1, 'expected the program and its arguments, e.g. [codex]')),
        env: z.optional(z.record(z.string(), z.string({ error: 'expected text' }))),
        detector: z.optional(
          z
            .string({ error: `expected a detector: ${DETECTOR_NAMES.join(', ')}` })
            .check(
              z.refine(
                (name) => detectorNamed(name) !== null,
                `unknown detector; known: ${DETECTOR_NAMES.join(', ')}`,
              ),
            ),
        ),
      }),
    ),
    {},
  ),
  /** Where a runtime starts when it is given no folder (default: where control-room runs). */
  runtimeFolder: z.optional(
    z
      .string({ error: 'expected an absolute folder path' })
      .check(z.refine((path) => isAbsolute(path), 'expected an absolute folder path')),
  ),
  sendTimeoutMs: z._default(
    z
      .number({ error: 'expected a number of milliseconds' })
      .check(
        z.int('expected a whole number of milliseconds'),
        z.gte(100, 'expected at least 100 ms'),
        z.lte(600_000, 'expected at most 600000 ms'),
      ),
    15_000,
  ),
  /** Keys rebound by command id (`list.down: [j, down]`); checked against the commands at load. */
  keys: z._default(
    z.record(z.string(), z.array(z.string({ error: 'expected a key name, e.g. j, down, ctrl+c' }))),
    {},
  ),
  /** Attempts of one send, the first included; unknown outcomes are retried with the same key. */
  sendAttempts: z._default(
    z
      .number({ error: 'expected a number of attempts' })
      .check(
        z.int('expected a whole number of attempts'),
        z.gte(1, 'expected at least 1'),
        z.lte(10, 'expected at most 10'),
      ),
    3,
  ),
  /** How long a runtime started for a ticket may take to be ready for its prompt. */
  readyTimeoutMs: z._default(
    z
      .number({ error: 'expected a number of milliseconds' })
      .check(
        z.int('expected a whole number of milliseconds'),
        z.gte(1000, 'expected at least 1000 ms'),
        z.lte(600_000, 'expected at most 600000 ms'),
      ),
    60_000,
  ),
  /** The key that detaches from an attached runtime back to the control room. */
  detachKey: z._default(
    z.string({ error: 'expected a key such as ctrl-] or ctrl-q' }).check(
      z.refine((spec) => {
        try {
          parseDetachKey(spec);
          return true;
        } catch {
          return false;
        }
      }, 'expected ctrl- and a letter, ] or \\ (not ctrl-[, h, i, j or m: those are Esc, Backspace, Tab and Enter)'),
    ),
    DEFAULT_DETACH_KEY,
  ),
});

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

export const CONFIG_KEYS = Object.keys(ConfigSchema.shape);

/**
 * A missing file means the defaults; the YAML parser, and the checks that need more than the
 * schema (`checks`: the keys against the command table), are loaded only when there is a file.
 */
export async function loadConfig(
  file: string,
  checks: () => Promise<readonly ConfigCheck[]> = async () => [],
): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG;
    throw new AppFailure({
      kind: 'config',
      file,
      message: `cannot read the config file (${(error as Error).message})`,
    });
  }
  const [{ parseConfig }, extra] = await Promise.all([import('./parse-config.js'), checks()]);
  return parseConfig(file, text, extra);
}
