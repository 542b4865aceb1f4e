import { EventEmitter } from 'node:events';
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CommandBatch } from './command-batch.js';
import { ControlClient, type Notification } from './control-client.js';
import {
  PANE_DETAIL_FORMAT,
  PANE_FORMAT,
  type PaneRow,
  parsePaneDetail,
  parsePaneRows,
} from './runtime-rows.js';
import { socketPath } from './socket-path.js';
import { type TmuxClient, TmuxError } from './tmux-client.js';

/** Notifications after which the session list may differ. */
const LIST_CHANGES = new Set([
  'sessions-changed',
  'session-renamed',
  'session-closed',
  'window-add',
  'window-close',
  'unlinked-window-add',
  'unlinked-window-close',
  'window-pane-changed',
  'session-window-changed',
  'client-session-changed',
]);

export interface WatcherOptions {
  env?: NodeJS.ProcessEnv;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Keeps one control-mode connection to the tmux server and says when the runtime list may have
 * changed (`changed`), when the server went away (`down`) and came back (`up`). With no server
 * it waits without spawning anything: it watches the socket folder, and looks again with a
 * growing backoff. Nothing here blocks the event loop.
 */
export class TmuxWatcher extends EventEmitter {
  private client: ControlClient | null = null;
  private users = 0;
  /** Without a connection: the reads of one tick in one tmux process. */
  private readonly batch: CommandBatch;
  private stopped = false;
  private backoffMs: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private socketWatcher: FSWatcher | null = null;
  private connecting = false;
  private readonly socket: string;
  /** Each pane's command and folder, with the output time they were read at. */
  private readonly details = new Map<
    string,
    { activity: number; currentCommand: string; currentPath: string }
  >();

  constructor(
    private readonly tmux: TmuxClient,
    private readonly options: WatcherOptions = {},
  ) {
    super();
    this.batch = new CommandBatch(tmux);
    this.backoffMs = options.minBackoffMs ?? 100;
    this.socket = socketPath(tmux.socketName, options.env ?? process.env);
  }

  /** Whether a server may be running (its socket exists): cheap, no process. */
  get serverMaybeUp(): boolean {
    return existsSync(this.socket);
  }

  get connected(): boolean {
    return this.client !== null && !this.client.closed;
  }

  /**
   * One connection for everyone in the process: each user's start() is matched by its stop(),
   * and the connection closes at the last. A process that attached and detached a client per
   * user would detach in bursts, and tmux 3.3a can crash writing `%client-detached` to a
   * control client then.
   */
  start(): void {
    this.users += 1;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socketWatcher?.close();
    this.socketWatcher = null;
    this.client?.close();
    this.client = null;
  }

  /** The panes of every session, over the connection when there is one; none without a server. */
  async listRows(retried = false): Promise<PaneRow[]> {
    const viaConnection = this.connected;
    try {
      const rows = parsePaneRows(await this.command(['list-panes', '-a', '-F', PANE_FORMAT]));
      const live = new Set(rows.map((row) => row.paneId));
      // Asked at once: pipelined over the connection, one process without it.
      await Promise.all(
        rows.map(async (row) => {
          let detail = this.details.get(row.paneId);
          if (!detail || detail.activity !== row.outputActivity || row.paneDead) {
            const [line = ''] = await this.command([
              'display-message',
              '-p',
              '-t',
              row.paneId,
              PANE_DETAIL_FORMAT,
            ]);
            detail = { activity: row.outputActivity, ...parsePaneDetail(line) };
            this.details.set(row.paneId, detail);
          }
          row.currentCommand = detail.currentCommand;
          row.currentPath = detail.currentPath;
        }),
      );
      for (const pane of [...this.details.keys()]) if (!live.has(pane)) this.details.delete(pane);
      return rows;
    } catch (error) {
      if (error instanceof TmuxError && error.problem === 'no_server') {
        // The control connection ended under the list (its session closed): that says nothing
        // of the server, so ask once more (by process, or over the new connection).
        if (viaConnection && !retried) return this.listRows(true);
        return [];
      }
      throw error;
    }
  }

  /** A command over the connection (or a process when there is none). */
  async command(args: readonly string[]): Promise<string[]> {
    if (this.connected) return (this.client as ControlClient).command(args);
    // Stopped: no process per read (a monitor's last sweep would start one a pane on quit).
    if (this.stopped) throw new TmuxError('failed', 'the tmux watcher is stopped');
    return this.batch.command(args);
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting || this.connected) return;
    this.connecting = true;
    try {
      const session = await this.firstSession();
      if (session === null) {
        this.scheduleRetry();
        return;
      }
      const client = await ControlClient.connect(this.tmux, session);
      if (this.stopped) {
        client.close();
        return;
      }
      this.client = client;
      this.backoffMs = this.options.minBackoffMs ?? 100;
      this.socketWatcher?.close();
      this.socketWatcher = null;
      client.on('notification', (n: Notification) => {
        if (LIST_CHANGES.has(n.name)) this.emit('changed', n.name);
      });
      client.once('exit', () => {
        this.client = null;
        if (this.stopped) return;
        this.emit('down');
        // Our session may have closed while others live on: look again at once.
        void this.connect();
      });
      this.emit('up');
      this.emit('changed', 'connected');
    } catch {
      this.scheduleRetry();
    } finally {
      this.connecting = false;
    }
  }

  /** Any session to attach the control client to, or null when no server runs. */
  private async firstSession(): Promise<string | null> {
    if (!existsSync(this.socket)) return null;
    try {
      const out = await this.tmux.run(['list-sessions', '-F', '#{session_id}']);
      return out.split('\n').find((id) => id.startsWith('$')) ?? null;
    } catch (error) {
      if (error instanceof TmuxError && error.problem === 'no_server') return null;
      throw error;
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.watchSocketFolder();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.backoffMs);
    this.retryTimer.unref?.();
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 2000);
  }

  /** A server starting makes its socket: connect then, not at the next backoff. */
  private watchSocketFolder(): void {
    if (this.socketWatcher) return;
    const folder = dirname(this.socket);
    if (!existsSync(folder)) return;
    try {
      this.socketWatcher = watch(folder, (_event, file) => {
        if (file === basename(this.socket)) void this.connect();
      });
      this.socketWatcher.unref?.();
    } catch {
      this.socketWatcher = null;
    }
  }
}
