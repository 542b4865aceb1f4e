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

/** A driver on one control-mode connection when a server runs (reads cost ~0.4 ms, not a process). */
export async function openLocalDriver(ctx: CliContext): Promise<LocalDriverHandle> {
  const tmux = tmuxOf(ctx);
  const watcher = new TmuxWatcher(tmux, { env: ctx.env });
  // Wait for the control connection only where there is a session to attach it to; without
  // one the driver reads through processes.
  const hasSession = await tmux
    .run(['list-sessions', '-F', '#{session_id}'])
    .then((out) => out.trim() !== '')
    .catch(() => false);
  if (hasSession) {
    const up = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      watcher.once('up', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    watcher.start();
    await up;
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
    stop: () => watcher.stop(),
  };
}

/** Every host's driver, made on first use: `local`, and each host of `hosts add`. */
export class CliDrivers implements DriverSource {
  private local: Promise<LocalDriverHandle> | undefined;
  private readonly remote = new Map<string, Promise<RuntimeDriver>>();

  constructor(private readonly ctx: CliContext) {}

  driver(host: string): Promise<RuntimeDriver> {
    if (host === 'local') {
      this.local ??= openLocalDriver(this.ctx);
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
    this.local ??= openLocalDriver(this.ctx);
    const own = await (await this.local).driver.ownPanes();
    return new Set([...own.runtimes].map((id) => `local:${id}`));
  }

  async close(): Promise<void> {
    const local = await this.local?.catch(() => undefined);
    local?.stop();
    this.local = undefined;
  }
}
