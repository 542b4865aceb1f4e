import { LocalTmuxDriver } from '../adapters/tmux/local-driver.js';
import { LocalRuntimeFeed } from '../adapters/tmux/local-feed.js';
import type { TmuxClient } from '../adapters/tmux/tmux-client.js';
import type { TmuxWatcher } from '../adapters/tmux/tmux-watcher.js';
import type {
  InputAction,
  InputOutcome,
  Profile,
  Runtime,
  RuntimeDriver,
  RuntimeFeed,
  RuntimeSpec,
  Screen,
  SendOptions,
  SendReceipt,
} from '../domain/index.js';

/** A feed whose latest list can be brought up to date on demand. */
export interface RefreshableFeed extends RuntimeFeed {
  refresh(): Promise<void>;
}

/**
 * A driver whose `list` answers from the live feed's latest list: fifty clients listing 200
 * runtimes cost one tmux probe a second, not fifty reads of 200 screens each. Its states are
 * the monitor's (debounced), which a one-shot read cannot give. Until the feed's first list,
 * and for everything else, it is the inner driver.
 */
export class LiveListDriver implements RuntimeDriver {
  readonly host: string;
  private latest: Runtime[] | null = null;
  private readonly first: Promise<void>;
  private firstSeen: () => void = () => {};

  constructor(
    private readonly inner: RuntimeDriver,
    private readonly feed: RefreshableFeed,
  ) {
    this.host = inner.host;
    this.first = new Promise((resolve) => {
      this.firstSeen = resolve;
    });
    feed.start({
      runtimes: (list) => {
        this.latest = list;
        this.firstSeen();
      },
      stateChanged: (id, state) => {
        this.latest = this.latest?.map((r) => (r.id === id ? { ...r, state } : r)) ?? null;
      },
    });
  }

  /** Resolves once the feed has listed everything (or after `timeoutMs`, whichever is first). */
  ready(timeoutMs = 15_000): Promise<void> {
    return Promise.race([
      this.first,
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  list(): Promise<Runtime[]> {
    return this.latest ? Promise.resolve(this.latest) : this.inner.list();
  }

  async create(spec: RuntimeSpec): Promise<Runtime> {
    const runtime = await this.inner.create(spec);
    await this.feed.refresh(); // a list right after a create holds it
    return runtime;
  }

  send(id: string, text: string, options: SendOptions): Promise<SendReceipt> {
    return this.inner.send(id, text, options);
  }

  screen(id: string): Promise<Screen> {
    return this.inner.screen(id);
  }

  async input(id: string, action: InputAction): Promise<InputOutcome> {
    if (!this.inner.input) throw new Error('this driver cannot act on an input line');
    const outcome = await this.inner.input(id, action);
    await this.feed.refresh(); // the list after it shows the input line as it is now
    return outcome;
  }

  async close(id: string): Promise<void> {
    await this.inner.close(id);
    await this.feed.refresh();
  }

  stop(): void {
    this.feed.stop();
  }
}

/** What `host serve` serves: this machine's tmux, listed from a live monitor. */
export function createLocalHostDriver(options: {
  tmux: TmuxClient;
  watcher: TmuxWatcher;
  profiles: Record<string, Profile>;
  defaultCwd?: string | undefined;
}): LiveListDriver {
  return new LiveListDriver(
    new LocalTmuxDriver(options),
    // One control connection for the whole host: the monitor reads over the driver's.
    new LocalRuntimeFeed(options.tmux, options.profiles, options.watcher),
  );
}
