import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SendLeases } from '../../src/adapters/tmux/send-lease.js';
import { REPO_ROOT } from './helpers/sim-agent.js';
import { tempDirsPerTest } from './helpers/temp-dir.js';

/**
 * The send lease of a runtime (issue 14, item 1) on real files: held by one sender at a time,
 * in this process or another, and taken over once its holder is dead or past its expiry.
 */

const dirs = tempDirsPerTest();
const LEASE_DIR = 'control-room-send-leases';

/** A tmux socket path in a private temp folder (the lease folder goes beside it). */
function socketIn(): string {
  const dir = dirs.make();
  chmodSync(dir, 0o700);
  return join(dir, 'cr-test-socket');
}

function leaseFiles(socket: string): string[] {
  return readdirSync(join(socket, '..', LEASE_DIR));
}

/** A child process that takes the lease, says so, and waits to be killed. */
async function holderProcess(socket: string, runtime: string) {
  const module = join(REPO_ROOT, 'src/adapters/tmux/send-lease.ts');
  const code = `
    const { SendLeases } = await import(${JSON.stringify(module)});
    const got = new SendLeases(${JSON.stringify(socket)}).acquire(${JSON.stringify(runtime)}, 600000);
    process.stdout.write(got.ok ? 'held\\n' : 'busy\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const said = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', () => resolve(out.trim()));
  });
  return { child, said, exited };
}

describe('the send lease of a runtime', () => {
  it('is held by one sender at a time, and free again once released', () => {
    const socket = socketIn();
    const leases = new SendLeases(socket);
    const first = leases.acquire('rt_1_a', 60_000);
    expect(first.ok).toBe(true);
    const second = new SendLeases(socket).acquire('rt_1_a', 60_000);
    expect(second).toEqual({
      ok: false,
      holder: { pid: process.pid, since: expect.any(String) },
    });
    // Another runtime of the same server is its own lease.
    const other = leases.acquire('rt_2_b', 60_000);
    expect(other.ok).toBe(true);
    if (first.ok) first.release();
    if (other.ok) other.release();
    const third = leases.acquire('rt_1_a', 60_000);
    expect(third.ok).toBe(true);
    if (third.ok) third.release();
    expect(leaseFiles(socket)).toEqual([]);
  });

  it('is refused to another process while held, and taken over once that process is killed', async () => {
    const socket = socketIn();
    const holder = await holderProcess(socket, 'rt_7_x');
    expect(holder.said).toBe('held');
    const refused = new SendLeases(socket).acquire('rt_7_x', 60_000);
    expect(refused).toEqual({
      ok: false,
      holder: { pid: holder.child.pid, since: expect.any(String) },
    });
    holder.child.kill('SIGKILL');
    await holder.exited;
    const taken = new SendLeases(socket).acquire('rt_7_x', 60_000);
    expect(taken.ok).toBe(true);
    if (taken.ok) taken.release();
    expect(leaseFiles(socket)).toEqual([]);
  });

  it('is taken over past its expiry, from a holder that is alive but stuck', () => {
    const socket = socketIn();
    let now = Date.parse('2026-11-25T06:00:00Z');
    const clock = { now: () => now, alive: () => true };
    const stuck = new SendLeases(socket, clock).acquire('rt_3_c', 1000);
    expect(stuck.ok).toBe(true);
    // Another process's view: its holder is alive, but the lease has run out.
    const later = new SendLeases(socket, clock);
    expect(later.acquire('rt_3_c', 1000).ok).toBe(false);
    now += 1001;
    const taken = later.acquire('rt_3_c', 1000);
    expect(taken.ok).toBe(true);
    // The stuck holder's release leaves the new holder's lease alone.
    if (stuck.ok) stuck.release();
    expect(later.acquire('rt_3_c', 1000).ok).toBe(false);
    if (taken.ok) taken.release();
  });

  it('takes over a lease left by an earlier process with this pid, and a file that is no lease', () => {
    const socket = socketIn();
    const leases = new SendLeases(socket);
    const held = leases.acquire('rt_4_d', 60_000);
    expect(held.ok).toBe(true);
    const [file = ''] = leaseFiles(socket);
    const path = join(socket, '..', LEASE_DIR, file);
    // This process's pid, a token it never held: a process that died and whose pid came back.
    const left = { pid: process.pid, token: 'gone', since: 'x', expiresAt: Date.now() + 60_000 };
    writeFileSync(path, JSON.stringify(left));
    const again = leases.acquire('rt_4_d', 60_000);
    expect(again.ok).toBe(true);
    if (again.ok) again.release();
    writeFileSync(path, 'not a lease');
    const over = leases.acquire('rt_4_d', 60_000);
    expect(over.ok).toBe(true);
    if (over.ok) over.release();
    expect(leaseFiles(socket)).toEqual([]);
  });

  it('refuses a lease folder that others may open', () => {
    const socket = socketIn();
    const leases = new SendLeases(socket);
    const held = leases.acquire('rt_5_e', 60_000);
    if (held.ok) held.release();
    chmodSync(join(socket, '..', LEASE_DIR), 0o755);
    expect(() => leases.acquire('rt_5_e', 60_000)).toThrow(/not a private folder/);
  });
});
