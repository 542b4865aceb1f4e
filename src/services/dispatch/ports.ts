import type {
  BindingRow,
  ClaimResult,
  ClaimRow,
  NewMessage,
  OutboxMessage,
  RowChange,
} from '../../adapters/db/outbox-repository.js';
import type { ProcessRecord } from '../../adapters/db/process-registry.js';
import type { MessageState, RuntimeDriver, Ticket } from '../../domain/index.js';

export type {
  BindingRow,
  ClaimResult,
  ClaimRow,
  NewMessage,
  OutboxMessage,
  ProcessRecord,
  RowChange,
};

/** Claims and the outbox, each step one transaction (`adapters/db/outbox-repository.ts`). */
export interface OutboxPort {
  claim(key: string, processId: string, at: string, reduce: (t: Ticket) => Ticket): ClaimResult;
  update(
    key: string,
    reduce: (t: Ticket) => Ticket,
    change?: RowChange,
    at?: string,
  ): Ticket | null;
  releaseClaim(key: string, processId: string): void;
  lease(id: string, processId: string): boolean;
  message(id: string): OutboxMessage | undefined;
  /** Every message in `state` (all without one), oldest first. */
  list(state?: MessageState): OutboxMessage[];
  open(): OutboxMessage[];
  inFlight(): OutboxMessage[];
  claims(processId?: string): ClaimRow[];
  /** Which ticket each runtime is bound to. */
  bindings(): BindingRow[];
}

/** The processes sharing the database (`adapters/db/process-registry.ts`). */
export interface ProcessPort {
  register(role: string): ProcessRecord;
  heartbeat(record: ProcessRecord): void;
  unregister(id: string): void;
  all(): ProcessRecord[];
  isDead(record: ProcessRecord): boolean;
}

/** The driver of each host: `local` is this machine's tmux. */
export interface DriverSource {
  /** Rejects with an AppFailure when the host is not configured. */
  driver(host: string): Promise<RuntimeDriver>;
}
