// A path inside this repository, for the build scripts and the bundle plugins.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const repoPath = (...parts) => join(REPO_ROOT, ...parts);
