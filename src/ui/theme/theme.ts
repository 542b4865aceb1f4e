import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { SEVERITIES, TICKET_STATES } from '../../domain/index.js';

/**
 * Views colour through these semantic tokens only. A value is an Ink colour (a name or #rrggbb),
 * or null for the terminal's own colour; the no-colour theme is all nulls.
 */
const colour = z.nullable(
  z
    .string({ error: 'expected a colour name, #rrggbb or null' })
    .check(z.regex(/^(#[0-9a-fA-F]{6}|[a-zA-Z]+)$/, 'expected a colour name, #rrggbb or null')),
);

const byName = <T extends readonly string[]>(names: T) =>
  z.strictObject(
    Object.fromEntries(names.map((n) => [n, colour])) as Record<T[number], typeof colour>,
  );

export const ThemeSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  text: colour,
  muted: colour,
  accent: colour,
  border: colour,
  focus: colour,
  selection: z.strictObject({ foreground: colour, background: colour }),
  severity: byName(SEVERITIES),
  state: byName(TICKET_STATES),
  error: colour,
  warning: colour,
  success: colour,
});

export type Theme = z.infer<typeof ThemeSchema>;

/** The built-in fallback: a theme file that is missing or bad never leaves the screen blank. */
export const NO_COLOR_THEME: Theme = {
  name: 'no-color',
  text: null,
  muted: null,
  accent: null,
  border: null,
  focus: null,
  selection: { foreground: null, background: null },
  severity: { critical: null, high: null, medium: null, low: null, info: null },
  state: { todo: null, in_progress: null, needs_input: null, review: null, done: null },
  error: null,
  warning: null,
  success: null,
};

export interface ThemeChoice {
  theme: Theme;
  /** Said to the operator when the requested theme could not be used. */
  warning: string | null;
}

/** Looks in the user's theme folder first, then the shipped `themes/`. */
export async function loadTheme(
  name: string,
  folders: readonly string[],
  noColor: boolean,
): Promise<ThemeChoice> {
  if (noColor) return { theme: NO_COLOR_THEME, warning: null };
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(name)) {
    return {
      theme: NO_COLOR_THEME,
      warning: `theme "${name}": a theme name is letters, digits and "-"`,
    };
  }
  for (const folder of folders) {
    const file = join(folder, `${name}.json`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const problem = validateThemeText(text);
    if (typeof problem !== 'string') return { theme: problem, warning: null };
    const fallback =
      name === 'dark' ? NO_COLOR_THEME : (await loadTheme('dark', folders, false)).theme;
    return { theme: fallback, warning: `${file}: ${problem}; using ${fallback.name}` };
  }
  const fallback =
    name === 'dark' ? NO_COLOR_THEME : (await loadTheme('dark', folders, false)).theme;
  return { theme: fallback, warning: `no theme "${name}"; using ${fallback.name}` };
}

/** The theme, or what is wrong with it (naming the token). */
export function validateThemeText(text: string): Theme | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  const result = ThemeSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') || '(top)';
  return `${path}: ${issue?.message ?? 'invalid'}`;
}
