import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './database.js';
import { translateDatabaseError } from './db-errors.js';

export interface HostRecord {
  name: string;
  url: string;
  createdAt: string;
  /**
   * Where its tmux is reached over SSH for an interactive attach (`user@box`); null or absent:
   * none. Always present (string or null) on records read back.
   */
  ssh?: string | null;
}

/** The columns of a HostRecord, in the shape it has. */
const COLUMNS = 'name, url, created_at AS createdAt, ssh';

/**
 * The runtime hosts this control room reads. Names and addresses are in the database; each
 * token is a file of its own in the state folder, mode 0600: never in the config file (which
 * people share and paste), never printed.
 */
export class HostRepository {
  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly tokensDir: string,
  ) {}

  list(): HostRecord[] {
    return this.guard(
      () => this.db.prepare(`SELECT ${COLUMNS} FROM hosts ORDER BY name`).all() as HostRecord[],
    );
  }

  get(name: string): HostRecord | undefined {
    return this.guard(
      () =>
        this.db.prepare(`SELECT ${COLUMNS} FROM hosts WHERE name = ?`).get(name) as
          | HostRecord
          | undefined,
    );
  }

  /**
   * Adds or replaces a host; the token (if any) is written first, so no host lacks its token.
   * A replaced host takes the new address and SSH destination (none when `ssh` is absent), as it
   * takes the new token: `hosts add` states the whole host.
   */
  async save(host: HostRecord, token: string | null): Promise<void> {
    if (token !== null) await this.writeToken(host.name, token);
    else await rm(this.tokenFile(host.name), { force: true });
    this.guard(() =>
      this.db
        .prepare(
          `INSERT INTO hosts (name, url, created_at, ssh) VALUES (?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET url = excluded.url, ssh = excluded.ssh`,
        )
        .run(host.name, host.url, host.createdAt, host.ssh ?? null),
    );
  }

  async remove(name: string): Promise<boolean> {
    const removed = this.guard(
      () => this.db.prepare('DELETE FROM hosts WHERE name = ?').run(name).changes > 0,
    );
    await rm(this.tokenFile(name), { force: true });
    return removed;
  }

  async token(name: string): Promise<string | null> {
    try {
      return (await readFile(this.tokenFile(name), 'utf8')).trim() || null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private tokenFile(name: string): string {
    return join(this.tokensDir, `${name}.token`);
  }

  /** Written to a private temporary file, then renamed: never readable by others, never half. */
  private async writeToken(name: string, token: string): Promise<void> {
    await mkdir(this.tokensDir, { recursive: true, mode: 0o700 });
    await chmod(this.tokensDir, 0o700);
    const temporary = `${this.tokenFile(name)}.${process.pid}.tmp`;
    await writeFile(temporary, `${token}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.tokenFile(name));
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translateDatabaseError(this.file, error);
    }
  }
}
