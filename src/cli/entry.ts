#!/usr/bin/env node
/**
 * The launcher: answers `--version` before anything else is loaded (scripts call it often and
 * it must cost little more than starting Node), then loads the CLI proper.
 */
declare const __CONTROL_ROOM_VERSION__: string | undefined;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const version =
    typeof __CONTROL_ROOM_VERSION__ === 'string' ? __CONTROL_ROOM_VERSION__ : '0.0.0-source';
  process.stdout.write(`${version}\n`);
} else {
  const { main } = await import('./main.js');
  await main(process.argv);
}
