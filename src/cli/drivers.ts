import type { LocalTmuxDriver } from '../adapters/tmux/local-driver.js';
import { TmuxClient } from '../adapters/tmux/tmux-client.js';
import { TmuxWatcher } from '../adapters/tmux/tmux-watcher.js';
import { AppFailure, builtInProfiles, type Profile, type RuntimeDriver } from '../domain/index.js';
import type { DriverSource } from '../services/dispatch/ports.js';
import type { CliContext } from './context.js';

/** The built-in profiles with the config file's on top (same name: the config's wins). */
export function profilesOf(ctx: CliContext): Record<string, Profile> {
  const profiles = builtInProfiles(ctx.env);
  for (const [name, p] of Object.entries(ctx.config.profiles)) {
    profiles[name] = { name, command: p.command, env: p.env ?? {}, detector: p.detector ?? name };
  }
  return profiles;
}

export function tmuxOf(ctx: CliContext): TmuxClient {
  return new TmuxClient({ socketName: ctx.options.tmuxSocket });
}

export interface LocalDriverHandle {
  driver: LocalTmuxDriver;
  stop(): void;
}

const liveWatchers = new WeakMap<CliContext, TmuxWatcher>();

/**
 * The one control-mode connection of a long-running process (the screen, `dispatch`), shared by
 * its monitor and its driver: attached once, not once per user.
 */
export function liveWatcher(ctx: CliContext): TmuxWatcher {
  let watcher = liveWatchers.get(ctx);
  if (!watcher) {
    watcher = new TmuxWatcher(tmuxOf(ctx), { env: ctx.env });
    liveWatchers.set(ctx, watcher);
  }
  return watcher;
}

/**
 * This machine's driver. A one-shot command (`live` false) runs tmux commands as processes and
 * attaches no control-mode client: twenty commands at once would attach and detach twenty, and
 * tmux 3.3a can crash writing `%client-detached` to a control client then, taking every session
 * with it. A long-running one reads over the process's one connection (~0.4 ms a read, not a
 * process), waiting for it where there is a session to attach it to.
 */
export async function openLocalDriver(
  ctx: CliContext,
  options: { live?: boolean } = {},
): Promise<LocalDriverHandle> {
  const tmux = tmuxOf(ctx);
  const watcher = options.live ? liveWatcher(ctx) : undefined;
  if (watcher) {
    watcher.start();
    // Waited for only where there is a session to attach it to; without one, reads are processes.
    const hasSession = await tmux
      .run(['list-sessions', '-F', '#{session_id}'])
      .then((out) => out.trim() !== '')
      .catch(() => false);
    if (hasSession) await connectedWithin(watcher, 1000);
  }
  // Loaded on first use: the control room's first frame only reads the tmux server's list.
  const { LocalTmuxDriver } = await import('../adapters/tmux/local-driver.js');
  return {
    driver: new LocalTmuxDriver({
      tmux,
      watcher,
      profiles: profilesOf(ctx),
      defaultCwd: ctx.config.runtimeFolder,
      env: ctx.env,
    }),
    stop: () => watcher?.stop(),
  };
}

function connectedWithin(watcher: TmuxWatcher, ms: number): Promise<void> {
  if (watcher.connected) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    watcher.once('up', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Every host's driver, made on first use: `local`, and each host of `hosts add`. */
export class CliDrivers implements DriverSource {
  private local: Promise<LocalDriverHandle> | undefined;
  private readonly remote = new Map<string, Promise<RuntimeDriver>>();

  /** `live`: a long-running process's (see `openLocalDriver`); one-shot otherwise. */
  constructor(
    private readonly ctx: CliContext,
    private readonly options: { live?: boolean } = {},
  ) {}

  driver(host: string): Promise<RuntimeDriver> {
    if (host === 'local') {
      this.local ??= openLocalDriver(this.ctx, this.options);
      return this.local.then((h) => h.driver);
    }
    let found = this.remote.get(host);
    if (!found) {
      const record = this.ctx.hosts().get(host);
      if (!record) {
        return Promise.reject(
          new AppFailure({
            kind: 'not_found',
            message: `no host ${host}`,
            hint: 'control-room hosts list shows them; hosts add NAME URL adds one',
          }),
        );
      }
      found = this.ctx.hostDriver(record);
      this.remote.set(host, found);
    }
    return found;
  }

  /** A host removed from the table: its driver is made anew should it come back. */
  forget(host: string): void {
    this.remote.delete(host);
  }

  /** `local:ID` of the runtimes that are, or show, the control room (none outside tmux). */
  async ownRuntimes(): Promise<ReadonlySet<string>> {
    if (!this.ctx.env.TMUX_PANE) return new Set();
    this.local ??= openLocalDriver(this.ctx, this.options);
    const own = await (await this.local).driver.ownPanes();
    return new Set([...own.runtimes].map((id) => `local:${id}`));
  }

  async close(): Promise<void> {
    const local = await this.local?.catch(() => undefined);
    local?.stop();
    this.local = undefined;
  }
}
