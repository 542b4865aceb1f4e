import { AppFailure, type Runtime, sanitizeLine } from '../domain/index.js';

/** One host's runtimes as listed, or the failure that kept them from being listed. */
export interface ListedHost {
  host: string;
  runtimes: readonly Runtime[];
  failed: boolean;
}

export interface FoundRuntime {
  host: string;
  runtime: Runtime;
}

/**
 * `ID`, `NAME`, `HOST:ID` or `HOST:NAME` (tmux session names never hold a colon) to the one
 * runtime it names among the hosts listed. None, or more than one, is a typed failure that
 * says which, and what to give instead.
 */
export function findRuntime(listed: readonly ListedHost[], given: string): FoundRuntime {
  const colon = given.indexOf(':');
  const host = colon === -1 ? null : given.slice(0, colon);
  const wanted = colon === -1 ? given : given.slice(colon + 1);
  const shown = sanitizeLine(given);
  if (wanted === '') {
    throw new AppFailure({
      kind: 'usage',
      message: `"${shown}": expected an id or name, or HOST:ID or HOST:NAME`,
    });
  }
  const searched = listed.filter((h) => host === null || h.host === host);
  const found = searched.flatMap((h) =>
    h.runtimes
      .filter((r) => r.id === wanted || r.name === wanted)
      .map((runtime) => ({ host: h.host, runtime })),
  );
  if (found.length === 1) return found[0] as FoundRuntime;
  if (found.length > 1) {
    const each = found.map((f) => `${f.host}:${f.runtime.id} (${sanitizeLine(f.runtime.name)})`);
    throw new AppFailure({
      kind: 'usage',
      message: `"${shown}" names ${found.length} runtimes: ${each.join(', ')}`,
      hint: 'give one of them as HOST:ID',
    });
  }
  const where = searched.map((h) => h.host).join(', ') || sanitizeLine(host ?? 'local');
  const failing = searched.filter((h) => h.failed).map((h) => h.host);
  throw new AppFailure({
    kind: 'not_found',
    message: `no runtime ${shown} on ${where}`,
    hint:
      failing.length > 0
        ? `${failing.join(', ')} could not be asked; control-room runtimes list shows the rest`
        : 'control-room runtimes list shows them, with their ids and names',
  });
}
