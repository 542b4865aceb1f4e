import { keyTableMarkdown } from './registry.js';

const START = /<!-- keys:start[^>]*-->/;
const END = '<!-- keys:end -->';

/** The README with its key table replaced by the one the registry generates now. */
export function withKeyTable(readme: string): string {
  const start = START.exec(readme);
  const end = readme.indexOf(END);
  if (!start || end < start.index) throw new Error('README.md has no keys:start/keys:end markers');
  const head = readme.slice(0, start.index + start[0].length);
  return `${head}\n${keyTableMarkdown()}\n${readme.slice(end)}`;
}
