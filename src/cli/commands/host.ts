import { join } from 'node:path';
import type { Command } from 'commander';
import { TmuxWatcher } from '../../adapters/tmux/tmux-watcher.js';
import { createLocalHostDriver } from '../../host/live-list-driver.js';
import { parseListen, startHostServer } from '../../host/server.js';
import { profilesOf, tmuxOf } from '../drivers.js';
import { write } from '../output.js';
import { term } from '../terminal-text.js';
import { VERSION } from '../version.js';
import type { CommandRunner } from './runner.js';

const DEFAULT_LISTEN = '127.0.0.1:7420';

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
      'bearer tokens, one a line: `read,send TOKEN [name]` (mode 0600)',
    )
    .action(
      run(async (ctx, opts: { listen: string; tokensFile?: string }) => {
        const listen = parseListen(opts.listen);
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
          });
          const auth = server.authenticated
            ? `tokens from ${opts.tokensFile}`
            : 'NO authentication (no --tokens-file; loopback only)';
          await write(
            ctx.io.stderr,
            term`control-room host serving ${server.url}/v1 with ${auth}\n`,
          );
          const signal = await new Promise<NodeJS.Signals>((resolve) => {
            const stop = (received: NodeJS.Signals) => {
              process.off('SIGTERM', stop);
              process.off('SIGINT', stop);
              resolve(received);
            };
            process.on('SIGTERM', stop);
            process.on('SIGINT', stop);
          });
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
