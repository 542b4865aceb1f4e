/**
 * Rows read from tmux with `-F`: one line a row, fields joined by a tab. Text fields (session
 * names, pane options, folders, commands) are set by whatever runs in a pane, so tmux is asked to
 * escape them: a value can then hold no tab and no line feed, and cannot forge a field, a row, or
 * (over control mode) the `%end` line that closes a command's answer.
 */
export const FIELD_SEPARATOR = '\t';

/**
 * tmux's `s/regex/replacement/` modifiers, applied in order: the escape character `@` first,
 * then tab and vertical tab, then the range tab–vertical tab, which by then can only match a line
 * feed (a literal line feed cannot be written in a control-mode command line; tmux sets only
 * LC_CTYPE, so a range compares code points). No `%` anywhere: display-message runs its format
 * through strftime before it expands it.
 */
const ESCAPES: readonly (readonly [pattern: string, escaped: string, original: string])[] = [
  ['@', '@40', '@'],
  ['\t', '@09', '\t'],
  ['\v', '@0B', '\v'],
  ['[\t-\v]', '@0A', '\n'],
];

const ORIGINALS = new Map(ESCAPES.map(([, escaped, original]) => [escaped, original]));
const SUBSTITUTIONS = ESCAPES.map(([pattern, escaped]) => `s/${pattern}/${escaped}/`).join(';');

/**
 * `#{name}`, escaped by tmux as above. Each substitution compiles a regex per value (200 panes:
 * 5 ms a list became 17 ms), so only a value that holds one of those characters is escaped, as a
 * glob (fnmatch, no regex) tells.
 */
export function textField(name: string): string {
  return `#{?#{m:*[@\t-\v]*,#{${name}}},#{${SUBSTITUTIONS}:${name}},#{${name}}}`;
}

/** A value of a `textField`, as it was. */
export function textValue(field: string): string {
  if (!field.includes('@')) return field;
  return field.replace(/@(?:40|09|0B|0A)/g, (escaped) => ORIGINALS.get(escaped) as string);
}

/**
 * A row's fields, or null when it does not have exactly `count` (a row that does not split
 * right is dropped, never misread).
 */
export function rowFields(line: string, count: number): string[] | null {
  const fields = line.split(FIELD_SEPARATOR);
  return fields.length === count ? fields : null;
}
