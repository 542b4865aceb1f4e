import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A runtime is sent to by one sender at a time, across processes: the CLI, the control room,
 * `dispatch` and `host serve` may each reach the same tmux server, each with a database of its
 * own or none. The lease therefore lives beside the tmux server's socket (in tmux's own 0700
 * folder), one file per runtime, held from the state check to the confirmed submit. A lease is
 * stale once its process is dead or its expiry has passed (a process stopped that long is taken
 * for stuck), and is then taken over.
 */

/** Beside the sockets of `tmux-UID/`: every process that reaches the server finds it there. */
const LEASE_FOLDER = 'control-room-send-leases';

export interface LeaseHolder {
  pid: number;
  /** When it was taken (ISO). */
  since: string;
}

export type LeaseAttempt =
  | { ok: true; release: () => void }
  | { ok: false; holder: LeaseHolder | null };

interface LeaseFile {
  pid: number;
  token: string;
  since: string;
  expiresAt: number;
}

export interface SendLeaseOptions {
  now?: () => number;
  /** Whether a process is alive (signal 0); a seam for tests only. */
  alive?: (pid: number) => boolean;
}

type Command = (args: readonly string[]) => Promise<string[]>;

/**
 * A send's lease outlasts its deadline by this much: a holder alive past it is taken for stuck
 * (stopped), and the runtime is sent to again by others.
 */
const LEASE_MARGIN_MS = 45_000;

/** The send leases of the tmux server `command` reaches, named by its socket (asked once). */
export class ServerLeases {
  private leases: Promise<SendLeases> | null = null;

  constructor(private readonly command: Command) {}

  /** The runtime's lease for a send with this deadline; rejects when tmux cannot be asked. */
  async acquire(runtimeId: string, sendTimeoutMs: number): Promise<LeaseAttempt> {
    try {
      this.leases ??= this.command(['display-message', '-p', '#{socket_path}']).then(
        ([path = '']) => {
          if (path === '') throw new Error('tmux did not name its socket');
          return new SendLeases(path);
        },
      );
      return (await this.leases).acquire(runtimeId, sendTimeoutMs + LEASE_MARGIN_MS);
    } catch (error) {
      this.leases = null;
      throw error;
    }
  }
}

/** The leases this process holds now: a lease with our pid but none of these tokens is stale. */
const heldHere = new Set<string>();

export class SendLeases {
  private readonly now: () => number;
  private readonly alive: (pid: number) => boolean;

  /** `socketPath`: the tmux server's socket (`#{socket_path}`), which names the server. */
  constructor(
    private readonly socketPath: string,
    options: SendLeaseOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.alive = options.alive ?? processAlive;
  }

  /** The lease of one runtime of this server for `ttlMs`, or who holds it now. */
  acquire(runtimeId: string, ttlMs: number): LeaseAttempt {
    const folder = this.folder();
    const digest = createHash('sha256').update(`${this.socketPath}\n${runtimeId}`).digest('hex');
    const file = join(folder, `${digest.slice(0, 32)}.lease`);
    const mine: LeaseFile = {
      pid: process.pid,
      token: randomUUID(),
      since: new Date(this.now()).toISOString(),
      expiresAt: this.now() + ttlMs,
    };
    // A stale lease taken away lets the next turn try again; a few turns lost to other
    // breakers mean others are at it: busy.
    for (let turn = 0; turn < 3; turn++) {
      if (this.create(file, mine)) {
        heldHere.add(mine.token);
        return { ok: true, release: () => this.release(file, mine.token) };
      }
      const found = readLease(file);
      if (found === 'gone') continue;
      if (found !== null && this.live(found)) {
        return { ok: false, holder: { pid: found.pid, since: found.since } };
      }
      if (!this.breakStale(file)) return { ok: false, holder: null };
    }
    return { ok: false, holder: null };
  }

  private live(lease: LeaseFile): boolean {
    if (lease.expiresAt <= this.now()) return false;
    if (lease.pid === process.pid) return heldHere.has(lease.token);
    return this.alive(lease.pid);
  }

  /**
   * Written whole to a file of its own, then linked into place: the lease appears complete or
   * not at all (link fails when it exists), so no reader ever sees half of one.
   */
  private create(file: string, lease: LeaseFile): boolean {
    const draft = `${file}.${lease.token}`;
    const fd = openSync(draft, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify(lease));
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(draft, file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      unlinkQuietly(draft);
    }
  }

  /**
   * Moves the stale lease away (atomic: of several breakers one gets it), then checks that what
   * was moved is stale still: a fresh lease, linked in by another sender since it was read, is
   * put back. False when it could not be put back (a third sender took the place in between):
   * someone holds it, so the caller is busy.
   */
  private breakStale(file: string): boolean {
    const aside = `${file}.${randomUUID()}.stale`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw error;
    }
    const moved = readLease(aside);
    if (moved === 'gone' || moved === null || !this.live(moved)) {
      unlinkQuietly(aside);
      return true;
    }
    try {
      linkSync(aside, file);
    } catch {
      // Taken in between: two holders now, the one case this cannot prevent (three senders
      // within the same instant, over a stale lease).
    }
    unlinkQuietly(aside);
    return false;
  }

  private release(file: string, token: string): void {
    heldHere.delete(token);
    const found = readLease(file);
    // Only our own: a lease taken over as stale belongs to its new holder.
    if (found !== 'gone' && found !== null && found.token === token) unlinkQuietly(file);
  }

  /** The lease folder, made 0700 on first use and refused when it is not ours alone. */
  private folder(): string {
    const folder = join(dirname(this.socketPath), LEASE_FOLDER);
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = lstatSync(folder);
    const uid = process.getuid?.();
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || stat.mode & 0o077) {
      throw new Error(`${folder} is not a private folder of this user; remove it`);
    }
    return folder;
  }
}

/** The lease in `file`; null when it cannot be read as one, 'gone' when there is none. */
function readLease(file: string): LeaseFile | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LeaseFile>;
    if (
      typeof value.pid === 'number' &&
      typeof value.token === 'string' &&
      typeof value.since === 'string' &&
      typeof value.expiresAt === 'number'
    ) {
      return value as LeaseFile;
    }
  } catch {
    // Not a lease of ours: taken for stale, like a dead holder's.
  }
  return null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has that pid; alive all the same.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Gone already.
  }
}
