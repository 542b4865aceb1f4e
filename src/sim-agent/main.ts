/**
 * sim-agent: a small stand-in for Codex or Claude Code in a terminal, for tests and demos. It
 * reads prompts from an input line (typed or bracketed-pasted), logs each one, "works" for a
 * while with an `esc to interrupt` status, may ask for approval, and can report its state
 * through a tmux pane option as an agent hook would. Node's standard library only, so it starts
 * fast. `sim-agent --help` lists the options.
 */
import { Agent } from './agent.js';
import { KeyDecoder } from './keys.js';
import { parseSimAgentArgs, USAGE } from './options.js';
import { Screen } from './screen.js';
import { StateHook } from './state-hook.js';
import { oneLine } from './text.js';

const parsed = parseSimAgentArgs(process.argv.slice(2));
if (parsed.kind === 'error') {
  // The message may quote what it was given: no control characters reach the terminal.
  process.stderr.write(`sim-agent: ${oneLine(parsed.message)}\n${USAGE}`);
  process.exit(2);
}
if (parsed.kind === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}
const { options } = parsed;

const { stdin, stdout } = process;
// A terminal that went away (the pane was killed) must not crash the exit path.
stdout.on('error', () => {});

const screen = new Screen(stdout);
let exiting = false;
const exit = (code: number): void => {
  if (exiting) return;
  exiting = true;
  agent.stop();
  decoder.dispose();
  try {
    screen.restore();
    if (stdin.isTTY) stdin.setRawMode(false);
  } catch {
    // The terminal is gone; nothing to restore.
  }
  process.exit(code);
};

const agent = new Agent({
  options,
  screen,
  hook: options.stateHook ? new StateHook() : null,
  exit,
});
const decoder = new KeyDecoder((key) => agent.handle(key));

if (stdin.isTTY) stdin.setRawMode(true);
stdin.on('data', (chunk: Buffer) => decoder.write(chunk));
stdin.on('end', () => exit(0));
stdout.on('resize', () => {
  screen.resize();
  agent.redraw();
});
process.on('SIGTERM', () => exit(143));
process.on('SIGHUP', () => exit(129));
agent.start();
