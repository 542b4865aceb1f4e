// Regenerates the README's key table from the command registry (`npm run docs`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withKeyTable } from '../src/ui/commands/readme-keys.js';

const readme = join(import.meta.dirname, '..', 'README.md');
writeFileSync(readme, withKeyTable(readFileSync(readme, 'utf8')));
