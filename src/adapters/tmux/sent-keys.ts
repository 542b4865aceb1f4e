import type { SendReceipt } from '../../domain/index.js';

/** What one idempotency key did, so a retry with it never types the text twice. */
export interface KeyRecord {
  typed: boolean;
  receipt?: SendReceipt;
  paneId?: string;
}

const REMEMBERED_KEYS = 1000;

/**
 * The idempotency keys this driver has sent with, newest last; the oldest is forgotten past a
 * thousand (the pane itself remembers its last 64 pastes for every process: `pane-sent.ts`).
 */
export class SentKeys {
  private readonly records = new Map<string, KeyRecord>();

  get(key: string): KeyRecord | undefined {
    return this.records.get(key);
  }

  /** A key whose text was cleared from the pane unsent: a retry with it types it again. */
  forget(key: string): void {
    this.records.delete(key);
  }

  /** A new record for a key about to be sent with. */
  start(key: string): KeyRecord {
    const record: KeyRecord = { typed: false };
    this.records.set(key, record);
    if (this.records.size > REMEMBERED_KEYS) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
    return record;
  }
}
