// Runs bench/host.ts (it starts the host from source, in a child process, over a private tmux
// server) and returns its figures.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function hostBench() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/host.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`bench/host.ts exited ${code}`);
  return JSON.parse(out.trim().split('\n').pop());
}
