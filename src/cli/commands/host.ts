import { join } from 'node:path';
import type { Command } from 'commander';
import { TmuxWatcher } from '../../adapters/tmux/tmux-watcher.js';
import { AppFailure } from '../../domain/index.js';
import { DEFAULT_MAX_CONNECTIONS } from '../../host/connection-gate.js';
import { createLocalHostDriver } from '../../host/live-list-driver.js';
import { type HostServer, parseListen, startHostServer } from '../../host/server.js';
import { profilesOf, tmuxOf } from '../drivers.js';
import { print, write } from '../output.js';
import { type TerminalText, term } from '../terminal-text.js';
import { VERSION } from '../version.js';
import type { CommandRunner } from './runner.js';

const DEFAULT_LISTEN = '127.0.0.1:7420';
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

interface ServeOptions {
  listen: string;
  tokensFile?: string;
  maxConnections: string;
  requestTimeout: string;
}

function wholeNumber(flag: string, given: string, min: number, max: number): number {
  const value = Number(given);
  if (!/^\d+$/.test(given) || value < min || value > max) {
    throw new AppFailure({
      kind: 'usage',
      message: `${flag} ${JSON.stringify(given)}: expected a whole number from ${min} to ${max}`,
    });
  }
  return value;
}

/** SIGHUP reads the tokens file again; a bad file keeps the tokens in use, and says why. */
function reloadTokensOnHangup(server: HostServer, say: (text: TerminalText) => void): () => void {
  const reload = () => {
    const result = server.reloadTokens();
    say(
      result.ok
        ? term`SIGHUP: read the tokens file again: ${result.tokens} token(s), ${result.expired} expired\n`
        : term`SIGHUP: kept the tokens in use: ${result.message}\n`,
    );
  };
  process.on('SIGHUP', reload);
  return () => process.off('SIGHUP', reload);
}

export function registerHostCommand(program: Command, run: CommandRunner): void {
  const host = program
    .command('host')
    .description("serve this machine's runtimes to control rooms over HTTP (runtime-api.md)");

  host
    .command('serve')
    .description('run the runtime host API until SIGTERM or SIGINT')
    .option('--listen <host:port>', 'the address to listen on', DEFAULT_LISTEN)
    .option(
      '--tokens-file <file>',
      'bearer tokens, one a line: `read,send TOKEN [name] [expires=WHEN]` (mode 0600); SIGHUP reads it again',
    )
    .option(
      '--max-connections <n>',
      'connections served at once; past it the longest idle one is closed, or 503',
      String(DEFAULT_MAX_CONNECTIONS),
    )
    .option(
      '--request-timeout <ms>',
      'the time a client has to send a whole request',
      String(DEFAULT_REQUEST_TIMEOUT_MS),
    )
    .action(
      run(async (ctx, opts: ServeOptions) => {
        const listen = parseListen(opts.listen);
        const maxConnections = wholeNumber('--max-connections', opts.maxConnections, 1, 100_000);
        const requestTimeoutMs = wholeNumber(
          '--request-timeout',
          opts.requestTimeout,
          1000,
          3_600_000,
        );
        const tmux = tmuxOf(ctx);
        const watcher = new TmuxWatcher(tmux, { env: ctx.env });
        watcher.start();
        const profiles = profilesOf(ctx);
        // Lists are answered from the live monitor, not by reading every screen per request.
        const driver = createLocalHostDriver({
          tmux,
          watcher,
          profiles,
          defaultCwd: ctx.config.runtimeFolder,
        });
        try {
          // Serve once the monitor has read every runtime, so no early request reads 200 screens.
          await driver.ready();
          const server = await startHostServer({
            host: listen.host,
            port: listen.port,
            tokensFile: opts.tokensFile,
            driver,
            profiles,
            idempotencyFile: join(ctx.paths.stateDir, 'host.db'),
            version: VERSION,
            tmuxVersion: async () => (await tmux.version()).text,
            sendTimeoutMs: ctx.sendTimeoutMs(),
            // The output event stream attaches to a session only while someone listens.
            tmux,
            maxConnections,
            requestTimeoutMs,
          });
          const auth = server.authenticated
            ? `tokens from ${opts.tokensFile}`
            : 'NO authentication (no --tokens-file; loopback only)';
          await write(
            ctx.io.stderr,
            term`control-room host serving ${server.url}/v1 with ${auth}\n`,
          );
          // Written as the access log is: straight to stderr, between its lines.
          const stopReloading = reloadTokensOnHangup(server, (text) => print(ctx.io.stderr, text));
          const signal = await new Promise<NodeJS.Signals>((resolve) => {
            const stop = (received: NodeJS.Signals) => {
              process.off('SIGTERM', stop);
              process.off('SIGINT', stop);
              resolve(received);
            };
            process.on('SIGTERM', stop);
            process.on('SIGINT', stop);
          });
          stopReloading();
          await write(ctx.io.stderr, term`${signal}: finishing the requests in flight\n`);
          await server.close();
          return 0;
        } finally {
          driver.stop();
          watcher.stop();
        }
      }),
    );
}
