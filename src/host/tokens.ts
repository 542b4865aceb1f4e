import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { AppFailure } from '../domain/index.js';

/** `read` allows every GET; `send` allows everything (`runtime-api.md`). */
export type Scope = 'read' | 'send';

export interface Caller {
  /** The token's name (third field of its line), or `line N`; never the token itself. */
  name: string;
  scopes: ReadonlySet<Scope>;
}

interface TokenEntry extends Caller {
  hash: Buffer;
}

const MIN_TOKEN_LENGTH = 16;
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

function refuse(file: string, message: string, line?: number): never {
  throw new AppFailure({
    kind: 'config',
    file,
    ...(line !== undefined ? { line } : {}),
    message,
    hint: 'one token a line: `read,send TOKEN [name]` or `read TOKEN [name]`; the file mode 0600',
  });
}

/** The tokens a host accepts, compared in constant time against their SHA-256 hashes. */
export class TokenSet {
  private constructor(private readonly entries: readonly TokenEntry[]) {}

  get size(): number {
    return this.entries.length;
  }

  /**
   * Reads a tokens file: refused unless only its owner can read it (mode 0600 or stricter), and
   * unless every line is `SCOPES TOKEN [NAME]`; blank lines and `#` comments are skipped.
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
      const fields = line.split(/\s+/);
      const [scopeField = '', token = '', name, ...rest] = fields;
      const at = index + 1;
      if (token === '' || rest.length > 0) {
        refuse(file, 'expected `SCOPES TOKEN [NAME]` (the token is not shown)', at);
      }
      const scopes = new Set<Scope>();
      for (const scope of scopeField.split(',')) {
        if (scope !== 'read' && scope !== 'send') {
          refuse(file, `unknown scope "${scope.slice(0, 20)}"; known: read, send`, at);
        }
        scopes.add(scope);
      }
      if (scopes.has('send')) scopes.add('read');
      if (token.length < MIN_TOKEN_LENGTH || !TOKEN_CHARS.test(token)) {
        refuse(file, `a token is at least ${MIN_TOKEN_LENGTH} printable characters`, at);
      }
      const hash = sha256(token);
      const key = hash.toString('hex');
      if (seen.has(key)) refuse(file, 'the same token is on two lines', at);
      seen.add(key);
      entries.push({ name: name ?? `line ${at}`, scopes, hash });
    }
    if (entries.length === 0) refuse(file, 'the tokens file holds no token');
    return new TokenSet(entries);
  }

  /** The caller of an `Authorization` header, or null: missing, malformed or unknown. */
  authenticate(header: string | undefined): Caller | null {
    if (header === undefined) return null;
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (!match) return null;
    const hash = sha256(match[1] as string);
    let found: TokenEntry | null = null;
    // Every entry is compared, so the time taken does not say which one matched.
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.hash, hash) && found === null) found = entry;
    }
    return found === null ? null : { name: found.name, scopes: found.scopes };
  }
}
