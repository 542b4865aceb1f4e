import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { AppFailure } from '../domain/index.js';

/** `read` allows every GET; `send` allows everything (`runtime-api.md`). */
export type Scope = 'read' | 'send';

export interface Caller {
  /** The token's name (its line's NAME field), or `line N`; never the token itself. */
  name: string;
  scopes: ReadonlySet<Scope>;
}

/** Who presented a token: a caller, or why not (no token, an unknown one, an expired one). */
export type Authentication =
  | { ok: true; caller: Caller }
  | { ok: false; reason: 'unauthenticated' }
  | { ok: false; reason: 'expired'; name: string; expiredAt: Date };

interface TokenEntry extends Caller {
  hash: Buffer;
  /** The moment the token stops working; null: never. */
  expiresAt: Date | null;
}

const MIN_TOKEN_LENGTH = 16;
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
const EXPIRES = 'expires=';
const DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
export const TOKENS_LINE = '`SCOPES TOKEN [NAME] [expires=WHEN]`';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

// No message here ever quotes a field of the line: any field may be a token written in the
// wrong place (`TOKEN read`), and a config error is printed and logged.
function refuse(file: string, message: string, line?: number): never {
  throw new AppFailure({
    kind: 'config',
    file,
    ...(line !== undefined ? { line } : {}),
    message,
    hint: `one token a line: ${TOKENS_LINE}, SCOPES \`read\` or \`read,send\`, WHEN \`2027-01-01\` or \`2027-01-01T12:00:00Z\`; the file mode 0600`,
  });
}

/** `2027-01-01` (00:00 UTC that day) or an ISO 8601 time with its zone; null when neither. */
function parseExpiry(text: string): Date | null {
  if (!TIME.test(text)) return null;
  const [, year, month, day] = DATE.exec(text) as RegExpExecArray;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // `2027-02-30` would roll over to March: a date that does not exist is refused.
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : new Date(at);
}

/** The tokens a host accepts, compared in constant time against their SHA-256 hashes. */
export class TokenSet {
  private constructor(private readonly entries: readonly TokenEntry[]) {}

  get size(): number {
    return this.entries.length;
  }

  /** How many tokens had expired by `now`. */
  expired(now = new Date()): number {
    return this.entries.filter((e) => e.expiresAt !== null && e.expiresAt <= now).length;
  }

  /**
   * Reads a tokens file: refused unless only its owner can read it (mode 0600 or stricter), and
   * unless every line is `SCOPES TOKEN [NAME] [expires=WHEN]`; blank lines and `#` comments are
   * skipped.
   */
  static load(file: string): TokenSet {
    let mode: number;
    let text: string;
    try {
      mode = statSync(file).mode;
      text = readFileSync(file, 'utf8');
    } catch (error) {
      refuse(file, `cannot read the tokens file: ${(error as Error).message}`);
    }
    if ((mode & 0o077) !== 0) {
      const shown = (mode & 0o777).toString(8).padStart(4, '0');
      refuse(file, `the tokens file ${file} has mode ${shown}; run \`chmod 600 ${file}\``);
    }
    return TokenSet.parse(text, file);
  }

  static parse(text: string, file = 'tokens'): TokenSet {
    const entries: TokenEntry[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of text.split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const at = index + 1;
      const [scopeField = '', token = '', ...more] = line.split(/\s+/);
      const expiries = more.filter((field) => field.startsWith(EXPIRES));
      const names = more.filter((field) => !field.startsWith(EXPIRES));
      if (token === '' || names.length > 1 || expiries.length > 1) {
        refuse(file, `expected ${TOKENS_LINE} (the line is not shown)`, at);
      }
      const scopes = new Set<Scope>();
      for (const scope of scopeField.split(',')) {
        if (scope !== 'read' && scope !== 'send') {
          refuse(file, 'the first field is not `read` or `read,send` (it is not shown)', at);
        }
        scopes.add(scope);
      }
      if (scopes.has('send')) scopes.add('read');
      if (token.length < MIN_TOKEN_LENGTH || !TOKEN_CHARS.test(token)) {
        refuse(file, `a token is at least ${MIN_TOKEN_LENGTH} printable characters`, at);
      }
      let expiresAt: Date | null = null;
      if (expiries[0] !== undefined) {
        expiresAt = parseExpiry(expiries[0].slice(EXPIRES.length));
        if (expiresAt === null) {
          refuse(file, 'expires: expected a date (2027-01-01) or a time with its zone', at);
        }
      }
      const hash = sha256(token);
      const key = hash.toString('hex');
      if (seen.has(key)) refuse(file, 'the same token is on two lines', at);
      seen.add(key);
      entries.push({ name: names[0] ?? `line ${at}`, scopes, hash, expiresAt });
    }
    if (entries.length === 0) refuse(file, 'the tokens file holds no token');
    return new TokenSet(entries);
  }

  /** The caller of an `Authorization` header, or why there is none. */
  authenticate(header: string | undefined, now = new Date()): Authentication {
    const match = header === undefined ? null : /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (!match) return { ok: false, reason: 'unauthenticated' };
    const hash = sha256(match[1] as string);
    let found: TokenEntry | null = null;
    // Every entry is compared, so the time taken does not say which one matched.
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.hash, hash) && found === null) found = entry;
    }
    if (found === null) return { ok: false, reason: 'unauthenticated' };
    if (found.expiresAt !== null && found.expiresAt <= now) {
      return { ok: false, reason: 'expired', name: found.name, expiredAt: found.expiresAt };
    }
    return { ok: true, caller: { name: found.name, scopes: found.scopes } };
  }
}
