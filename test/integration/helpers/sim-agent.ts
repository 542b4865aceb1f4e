import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../../../src/domain/index.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The simulated agent, run from source (no build needed). */
export const SIM_AGENT: readonly string[] = [
  process.execPath,
  '--import',
  'tsx',
  join(REPO_ROOT, 'src', 'sim-agent', 'main.ts'),
];

/** A `sim` profile that logs every prompt to `log` and works `workMs` a prompt. */
export function simProfile(log: string, workMs: number, extra: readonly string[] = []): Profile {
  return {
    name: 'sim',
    command: [...SIM_AGENT, '--log', log, '--work-ms', String(workMs), ...extra],
    env: {},
    detector: 'sim',
  };
}

/** The prompts the simulated agent was submitted, from its `--log`, oldest first. */
export function promptLog(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { prompt: string }).prompt);
}
