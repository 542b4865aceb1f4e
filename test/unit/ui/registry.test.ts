import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withKeyTable } from '../../../src/ui/commands/readme-keys.js';
import {
  COMMANDS,
  type CommandContext,
  commandsFor,
  keyLabel,
} from '../../../src/ui/commands/registry.js';

const root = join(import.meta.dirname, '..', '..', '..');

const contexts: CommandContext[] = [
  { view: { selected: 0, helpOpen: false }, ticketCount: 3 },
  { view: { selected: 0, helpOpen: true }, ticketCount: 3 },
  { view: { selected: 0, helpOpen: false }, ticketCount: 0 },
];

describe('the command registry', () => {
  it('gives every command a unique id, a description and at least one key', () => {
    const ids = COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const command of COMMANDS) {
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.keys.length).toBeGreaterThan(0);
    }
  });

  it.each(contexts)('binds no key twice among the commands that apply (%o)', (ctx) => {
    const seen = new Map<string, string>();
    for (const command of commandsFor(ctx)) {
      for (const key of command.keys) {
        const label = keyLabel(key);
        expect(seen.get(label), `${label} is bound to ${seen.get(label)} and ${command.id}`).toBe(
          undefined,
        );
        seen.set(label, command.id);
      }
    }
  });

  it('keeps the README key table in step with the registry (npm run docs)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(withKeyTable(readme)).toBe(readme);
    for (const command of COMMANDS) expect(readme).toContain(`\`${command.id}\``);
  });
});

describe('views', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
    );
  const views = files(join(root, 'src', 'ui')).filter((f) => /\.(tsx|ts)$/.test(f));

  it('use no colour literal, only theme tokens', () => {
    const literal =
      /(color|backgroundColor|borderColor)=\{?\s*["'`](red|green|yellow|blue|cyan|magenta|white|gray|grey|black|#[0-9a-fA-F]{3,6})/;
    const offenders = views.filter((f) => literal.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('compare no raw key input (the router does, from the registry)', () => {
    const raw = /input\s*===\s*['"`]/;
    // The router and the key reader (src/ui/input/, which turns raw reads into keys) may.
    const keyLayer = (f: string) =>
      f.endsWith('router.ts') || f.includes(join('src', 'ui', 'input'));
    const offenders = views.filter((f) => !keyLayer(f) && raw.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
