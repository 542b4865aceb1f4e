import { type Db, openDatabase } from '../adapters/db/database.js';
import { HostRepository } from '../adapters/db/host-repository.js';
import { TicketRepository } from '../adapters/db/ticket-repository.js';
import { type Config, DEFAULT_CONFIG, loadConfig } from '../config/config.js';
import { type Paths, resolvePaths } from '../config/paths.js';
import { AppFailure } from '../domain/index.js';
import type { Io } from './output.js';

export interface GlobalOptions {
  home?: string;
  tmuxSocket?: string;
  theme?: string;
  color?: boolean;
  sendTimeout?: string;
  json?: boolean;
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
    try {
      const config = await loadConfig(paths.configFile);
      return new CliContext(io, options, paths, config, null, env);
    } catch (error) {
      if (!(error instanceof AppFailure)) throw error;
      return new CliContext(io, options, paths, DEFAULT_CONFIG, error, env);
    }
  }

  get json(): boolean {
    return this.options.json === true;
  }

  private database(): Db {
    this.db ??= openDatabase(this.paths.databaseFile, { busyTimeoutMs: busyTimeout(this.env) });
    return this.db;
  }

  tickets(): TicketRepository {
    this.repository ??= new TicketRepository(
      this.database(),
      this.paths.databaseFile,
      this.config.keyPrefix,
    );
    return this.repository;
  }

  hosts(): HostRepository {
    return new HostRepository(this.database(), this.paths.databaseFile, this.paths.hostTokensDir);
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.repository = undefined;
  }
}

function busyTimeout(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.CONTROL_ROOM_DB_BUSY_TIMEOUT_MS);
  return Number.isFinite(value) && value >= 0 && env.CONTROL_ROOM_DB_BUSY_TIMEOUT_MS
    ? value
    : undefined;
}
