import { runAttach } from '../adapters/pty/attach.js';
import { parseDetachKey } from '../adapters/pty/detach-key.js';
import { remoteAttachCommand } from '../adapters/pty/remote-attach.js';
import {
  insideSameTmuxServer,
  localAttachCommand,
  localDetach,
  switchClient,
} from '../adapters/pty/tmux-attach.js';
import { sanitizeLine } from '../domain/index.js';
import type { Attacher } from '../ui/run.js';
import type { RuntimeRef } from '../ui/view-state.js';
import type { CliContext } from './context.js';
import { tmuxOf } from './drivers.js';
import { print } from './output.js';
import { TerminalText } from './terminal-text.js';

/**
 * How the control room hands the operator's terminal to a runtime: a local one through
 * `tmux attach-session` in a pty (or `switch-client` when the control room itself runs inside
 * that tmux server: no nesting), a remote one through `ssh -t` when its host names an SSH
 * destination. Resolves with what to tell the operator once the screen is back.
 */
export function cliAttacher(ctx: CliContext): Attacher {
  const detachKey = parseDetachKey(ctx.config.detachKey);
  return {
    async attach(runtime: RuntimeRef): Promise<string> {
      const name = sanitizeLine(runtime.name);
      const tmux = tmuxOf(ctx);
      const stdout = ctx.io.stdout as NodeJS.WriteStream;
      if (runtime.host === 'local' && (await insideSameTmuxServer(ctx.env, tmux))) {
        const back = await switchClient(tmux, runtime.name, ctx.env);
        // The screen is drawn again at once, from the top, for when the operator comes back.
        print(stdout, TerminalText.CLEAR_SCREEN);
        return `switched to ${name}; ${back}`;
      }
      const command =
        runtime.host === 'local'
          ? localAttachCommand(tmux, runtime.name)
          : remoteAttachCommand(
              ctx.hosts().get(runtime.host)?.ssh ?? null,
              runtime.host,
              runtime.name,
            );
      const stdin = ctx.io.stdin as NodeJS.ReadStream;
      print(stdout, TerminalText.CLEAR_SCREEN);
      try {
        const result = await runAttach({
          command,
          stdin,
          stdout,
          detachKey,
          env: ctx.env,
          ...(runtime.host === 'local' ? { detach: (pty) => localDetach(tmux, pty) } : {}),
        });
        return result.how === 'detached'
          ? `detached from ${name} (${detachKey.label})`
          : `${name}: the attach ended (exit ${result.exitCode})`;
      } finally {
        print(stdout, TerminalText.CLEAR_SCREEN);
      }
    },
  };
}
