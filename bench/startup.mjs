// Start-up: `control-room --version` against `node -e 0`, the floor of any Node CLI.
import { fileURLToPath } from 'node:url';
import { fmt, interleaved, run } from './lib.mjs';

const cli = fileURLToPath(new URL('../dist/control-room.js', import.meta.url));

export async function startupBench() {
  const runs = 30;
  // Warm the file cache first so neither side pays for the first read from disk.
  await run(process.execPath, [cli, '--version']);
  await run(process.execPath, ['-e', '0']);
  const { a: version, b: node } = await interleaved(
    runs,
    () => run(process.execPath, [cli, '--version']),
    () => run(process.execPath, ['-e', '0']),
  );
  return [
    {
      name: 'control-room --version (median of 30)',
      value: fmt(version),
      ratio: version / node,
      baselineName: `node -e 0 = ${fmt(node)}`,
      target: '≤ 1.3×',
    },
  ];
}
