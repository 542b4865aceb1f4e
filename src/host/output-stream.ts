import type { IncomingMessage, ServerResponse } from 'node:http';
import { OutputClient } from '../adapters/tmux/output-client.js';
import { parseRuntimeId } from '../adapters/tmux/runtime-rows.js';
import { type TmuxClient, TmuxError } from '../adapters/tmux/tmux-client.js';
import type { Runtime, RuntimeDriver } from '../domain/index.js';

/** `GET /v1/runtimes/{id}/output`: a comment this often keeps proxies from closing the stream. */
const KEEPALIVE_MS = 15_000;

/** One session's control-mode client, shared by every listener of that session. */
interface Shared {
  sessionId: string;
  client: Promise<OutputClient>;
  listeners: Set<Listener>;
}

/**
 * One SSE listener. A listener that cannot keep up (`res.write` answers false) loses output until
 * its socket drains, then hears how many bytes it lost (`event: dropped`): the agent is never
 * throttled, and nothing is buffered beyond the one write that filled the socket.
 */
class Listener {
  private dropping = false;
  private dropped = 0;
  private ended = false;
  private keepalive: NodeJS.Timeout | null = null;

  constructor(
    readonly runtime: Runtime,
    readonly pane: string,
    private readonly res: ServerResponse,
  ) {}

  get done(): boolean {
    return this.ended || this.res.destroyed || this.res.writableEnded;
  }

  begin(keepaliveMs: number): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.state(this.runtime);
    this.keepalive = setInterval(() => {
      if (!this.dropping) this.write(': keepalive\n\n');
    }, keepaliveMs);
  }

  output(data: Buffer): void {
    if (this.done) return;
    if (this.dropping) {
      this.dropped += data.length;
      return;
    }
    this.write(`event: output\ndata: ${data.toString('base64')}\n\n`);
  }

  state(runtime: Runtime): void {
    if (this.done) return;
    this.write(`event: state\ndata: ${JSON.stringify(runtime)}\n\n`);
  }

  end(final?: Runtime): void {
    if (final) this.state(final);
    this.stop();
    if (!this.res.writableEnded) this.res.end();
  }

  stop(): void {
    this.ended = true;
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
  }

  private write(text: string): void {
    if (this.res.write(text) || this.dropping) return;
    this.dropping = true;
    this.res.once('drain', () => {
      this.dropping = false;
      const lost = this.dropped;
      this.dropped = 0;
      if (lost > 0 && !this.done) this.write(`event: dropped\ndata: {"bytes":${lost}}\n\n`);
    });
  }
}

/**
 * The output streams of this host's runtimes. A control-mode client runs only while someone
 * listens: the first listener of a session starts one (`-f ignore-size,read-only`, with output),
 * the last one leaving stops it.
 */
export class OutputStreams {
  private readonly sessions = new Map<string, Shared>();
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly tmux: TmuxClient,
    private readonly driver: RuntimeDriver,
    private readonly keepaliveMs = KEEPALIVE_MS,
  ) {}

  /**
   * Answers the request with the runtime's stream: `event: state` (the runtime) first, then
   * `event: output` (base64 bytes of its pane), and a final `event: state` when the session ends.
   * Fails (a TmuxError) before any header is written, so the caller can still answer in JSON.
   */
  async open(runtime: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = parseRuntimeId(runtime.id);
    if (!parsed) throw new TmuxError('not_found', `no runtime ${runtime.id}`);
    const sessionId = parsed.sessionId;
    const pane = (
      await this.tmux.run(['display-message', '-p', '-t', sessionId, '#{pane_id}'])
    ).trim();
    if (!/^%\d+$/.test(pane)) throw new TmuxError('not_found', `no pane for ${runtime.id}`);
    const shared = this.join(sessionId);
    const listener = new Listener(runtime, pane, res);
    shared.listeners.add(listener);
    this.listeners.add(listener);
    const leave = () => this.leave(shared, listener);
    // The response's close, not the request's: a request closes once read, a response only
    // when it ends or its socket is gone (the client disconnected).
    res.once('close', leave);
    req.socket.setNoDelay(true);
    try {
      await shared.client;
    } catch (error) {
      leave();
      throw error;
    }
    if (listener.done) {
      leave();
      return;
    }
    listener.begin(this.keepaliveMs);
  }

  /** Ends every stream and stops every client (the host is shutting down). */
  closeAll(): void {
    for (const listener of [...this.listeners]) listener.end();
    for (const shared of [...this.sessions.values()]) this.stopClient(shared);
    this.sessions.clear();
  }

  private join(sessionId: string): Shared {
    const existing = this.sessions.get(sessionId);
    if (existing) return existing;
    const shared: Shared = {
      sessionId,
      client: OutputClient.connect(this.tmux, sessionId),
      listeners: new Set(),
    };
    this.sessions.set(sessionId, shared);
    shared.client.then(
      (client) => {
        client.on('output', (pane: string, data: Buffer) => {
          for (const listener of shared.listeners) {
            if (listener.pane === pane) listener.output(data);
          }
        });
        client.once('exit', () => void this.ended(shared));
        if (shared.listeners.size === 0) client.close();
      },
      () => {
        if (this.sessions.get(sessionId) === shared) this.sessions.delete(sessionId);
      },
    );
    return shared;
  }

  private leave(shared: Shared, listener: Listener): void {
    listener.stop();
    this.listeners.delete(listener);
    if (!shared.listeners.delete(listener)) return;
    if (shared.listeners.size > 0) return;
    if (this.sessions.get(shared.sessionId) === shared) this.sessions.delete(shared.sessionId);
    this.stopClient(shared);
  }

  private stopClient(shared: Shared): void {
    shared.client.then(
      (client) => client.close(),
      () => {},
    );
  }

  /** The session (or its server) is gone: each listener hears a final state, then the end. */
  private async ended(shared: Shared): Promise<void> {
    if (this.sessions.get(shared.sessionId) === shared) this.sessions.delete(shared.sessionId);
    const listeners = [...shared.listeners];
    shared.listeners.clear();
    if (listeners.length === 0) return;
    const runtimes = await this.driver.list().catch(() => [] as Runtime[]);
    for (const listener of listeners) {
      this.listeners.delete(listener);
      const now = runtimes.find((r) => r.id === listener.runtime.id);
      listener.end(now ?? { ...listener.runtime, state: 'exited' });
    }
  }
}
