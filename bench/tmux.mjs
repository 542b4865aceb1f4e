// Runs bench/tmux.ts (it measures the adapter's classes, from source) and returns its figures.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function tmuxBench() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/tmux.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`bench/tmux.ts exited ${code}`);
  return JSON.parse(out.trim().split('\n').pop());
}
