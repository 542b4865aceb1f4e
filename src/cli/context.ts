import { type Db, openDatabase } from '../adapters/db/database.js';
import { translateDatabaseError } from '../adapters/db/db-errors.js';
import { type HostRecord, HostRepository } from '../adapters/db/host-repository.js';
import { OutboxRepository } from '../adapters/db/outbox-repository.js';
import { ProcessRegistry } from '../adapters/db/process-registry.js';
import { TicketRepository } from '../adapters/db/ticket-repository.js';
import type { HttpRuntimeDriver } from '../adapters/http/index.js';
import { type Config, DEFAULT_CONFIG, loadConfig } from '../config/config.js';
import type { ConfigCheck } from '../config/parse-config.js';
import { type Paths, resolvePaths } from '../config/paths.js';
import { makeStatePrivate } from '../config/private-state.js';
import { AppFailure } from '../domain/index.js';
import { type Io, say } from './output.js';
import { term } from './terminal-text.js';

export interface GlobalOptions {
  home?: string;
  tmuxSocket?: string;
  theme?: string;
  color?: boolean;
  sendTimeout?: string;
  json?: boolean;
  readonly?: boolean;
}

/** What every subcommand gets: resolved paths and config, and the database opened on demand. */
export class CliContext {
  private db: Db | undefined;
  private repository: TicketRepository | undefined;

  private constructor(
    readonly io: Io,
    readonly options: GlobalOptions,
    readonly paths: Paths,
    readonly config: Config,
    /** A config file that failed to load; only `doctor` goes on with the defaults then. */
    readonly configProblem: AppFailure | null,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(io: Io, options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<CliContext> {
    const paths = resolvePaths({ home: options.home, env });
    // State left readable by others (an older version, a copy, a umask) is closed on start.
    if (makeStatePrivate(paths.stateDir)) {
      await say(io, term`made ${paths.stateDir} private (0700; files 0600)`);
    }
    try {
      const config = await loadConfig(paths.configFile, configChecks);
      return new CliContext(io, options, paths, config, null, env);
    } catch (error) {
      if (!(error instanceof AppFailure)) throw error;
      return new CliContext(io, options, paths, DEFAULT_CONFIG, error, env);
    }
  }

  get json(): boolean {
    return this.options.json === true;
  }

  database(): Db {
    this.db ??= openDatabase(this.paths.databaseFile, { busyTimeoutMs: this.busyTimeoutMs() });
    return this.db;
  }

  /** CONTROL_ROOM_DB_BUSY_TIMEOUT_MS, else the database's default. */
  busyTimeoutMs(): number | undefined {
    return busyTimeout(this.env);
  }

  tickets(): TicketRepository {
    this.repository ??= new TicketRepository(
      this.database(),
      this.paths.databaseFile,
      this.config.keyPrefix,
    );
    return this.repository;
  }

  /** `--send-timeout` (or CONTROL_ROOM_SEND_TIMEOUT_MS), else the config's, else 15 s. */
  sendTimeoutMs(): number {
    const given = this.options.sendTimeout;
    if (given === undefined) return this.config.sendTimeoutMs;
    const ms = Number(given);
    if (!Number.isInteger(ms) || ms < 100 || ms > 600_000) {
      throw new AppFailure({
        kind: 'usage',
        message: `--send-timeout ${given}: expected milliseconds from 100 to 600000`,
      });
    }
    return ms;
  }

  /** The driver of one configured host, with its token and the send deadline. */
  async hostDriver(record: HostRecord, requestTimeoutMs = 10_000): Promise<HttpRuntimeDriver> {
    // Loaded when a host is first used: the control room's first frame never needs it.
    const { HttpRuntimeDriver } = await import('../adapters/http/index.js');
    return new HttpRuntimeDriver({
      host: record.name,
      baseUrl: record.url,
      token: await this.hosts().token(record.name),
      sendTimeoutMs: this.sendTimeoutMs(),
      requestTimeoutMs,
    });
  }

  outbox(): OutboxRepository {
    return new OutboxRepository(this.database(), this.paths.databaseFile, this.tickets());
  }

  processes(): ProcessRegistry {
    return new ProcessRegistry(this.database(), this.paths.databaseFile);
  }

  hosts(): HostRepository {
    return new HostRepository(this.database(), this.paths.databaseFile, this.paths.hostTokensDir);
  }

  /**
   * A SQLite error that reached the command unguarded (a statement prepared on a damaged
   * schema, say), as the typed failure of this context's database; anything else unchanged.
   */
  failureOf(error: unknown): unknown {
    return this.db ? translateDatabaseError(this.paths.databaseFile, error) : error;
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.repository = undefined;
  }
}

/**
 * What the config's schema cannot check alone: `keys:` against the screen's command table (a
 * bad entry is refused at start by every command, and shown by `doctor`).
 */
async function configChecks(): Promise<ConfigCheck[]> {
  const { keyIssues } = await import('../ui/commands/bindings.js');
  return [(config) => keyIssues(config.keys ?? {})];
}

function busyTimeout(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.CONTROL_ROOM_DB_BUSY_TIMEOUT_MS);
  return Number.isFinite(value) && value >= 0 && env.CONTROL_ROOM_DB_BUSY_TIMEOUT_MS
    ? value
    : undefined;
}
