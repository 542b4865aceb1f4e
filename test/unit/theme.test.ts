import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTheme, NO_COLOR_THEME, validateThemeText } from '../../src/ui/theme/theme.js';

const shipped = join(import.meta.dirname, '..', '..', 'themes');
let temp: string | undefined;
afterEach(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
  temp = undefined;
});

describe('themes', () => {
  it.each(readdirSync(shipped))('ships a valid %s', (file) => {
    const theme = validateThemeText(readFileSync(join(shipped, file), 'utf8'));
    expect(typeof theme).toBe('object');
  });

  it('ships dark, light, high-contrast and no-color', () => {
    expect(readdirSync(shipped).sort()).toEqual(
      ['dark.json', 'high-contrast.json', 'light.json', 'no-color.json'].sort(),
    );
  });

  it('uses no colour at all under NO_COLOR, whatever is asked', async () => {
    const choice = await loadTheme('dark', [shipped], true);
    expect(choice.theme).toEqual(NO_COLOR_THEME);
  });

  it('names the token of a bad theme and falls back to dark', async () => {
    temp = mkdtempSync(join(tmpdir(), 'cr-theme-'));
    const bad = JSON.parse(readFileSync(join(shipped, 'dark.json'), 'utf8'));
    bad.severity.high = 'not a colour!';
    writeFileSync(join(temp, 'mine.json'), JSON.stringify(bad));
    const choice = await loadTheme('mine', [temp, shipped], false);
    expect(choice.theme.name).toBe('dark');
    expect(choice.warning).toContain('mine.json');
    expect(choice.warning).toContain('severity.high');
  });

  it('says so when a theme does not exist', async () => {
    const choice = await loadTheme('nope', [shipped], false);
    expect(choice.theme.name).toBe('dark');
    expect(choice.warning).toMatch(/no theme "nope"/);
  });

  it('refuses a theme name that is a path', async () => {
    const choice = await loadTheme('../etc/passwd', [shipped], false);
    expect(choice.warning).toMatch(/letters, digits/);
  });
});
