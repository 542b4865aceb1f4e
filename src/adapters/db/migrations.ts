/**
 * Forward-only migrations; `PRAGMA user_version` is the number applied. Never edit a shipped
 * step: append a new one. A database whose version is past the last step was written by a newer
 * control room and is refused untouched.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tickets (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE COLLATE NOCASE,
    title TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('critical','high','medium','low','info')),
    state TEXT NOT NULL CHECK (state IN ('todo','in_progress','needs_input','review','done')),
    owner TEXT,
    location TEXT,
    flagged_by TEXT,
    source_hash TEXT,
    body TEXT NOT NULL DEFAULT '',
    suggested_fix TEXT,
    runtime_host TEXT,
    runtime_id TEXT,
    runtime_name TEXT,
    runtime_adopted INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    -- Where the ticket came from; the timeline's first entry is read off it and created_at.
    origin TEXT NOT NULL DEFAULT 'created',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX tickets_source_hash ON tickets(source_hash) WHERE source_hash IS NOT NULL;
  CREATE INDEX tickets_state ON tickets(state);

  -- The timeline after creation (creation itself is the ticket's origin and created_at).
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    ticket_seq INTEGER NOT NULL REFERENCES tickets(seq) ON DELETE CASCADE,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX events_ticket ON events(ticket_seq, id);

  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    ticket_seq INTEGER NOT NULL REFERENCES tickets(seq) ON DELETE CASCADE,
    host TEXT NOT NULL,
    runtime_id TEXT NOT NULL,
    text TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending','delivered','failed','unknown')),
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX messages_ticket ON messages(ticket_seq);

  CREATE TABLE key_counters (
    prefix TEXT PRIMARY KEY,
    next INTEGER NOT NULL
  );
  `,
  // 2: the runtime hosts this control room reads (their tokens live in files, not here).
  `
  CREATE TABLE hosts (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  // 3: the dispatcher: who is running, who holds which ticket, and which message is on its way.
  `
  CREATE TABLE processes (
    id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    hostname TEXT NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_ms INTEGER NOT NULL
  );

  -- Held while a pickup is under way; one row per ticket makes the claim atomic.
  CREATE TABLE claims (
    ticket_seq INTEGER PRIMARY KEY REFERENCES tickets(seq) ON DELETE CASCADE,
    process_id TEXT NOT NULL,
    claimed_at TEXT NOT NULL
  );

  ALTER TABLE messages ADD COLUMN runtime_name TEXT;
  ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  -- The process sending it right now; taken atomically, so no message is sent by two at once.
  ALTER TABLE messages ADD COLUMN sending_by TEXT;
  CREATE INDEX messages_open ON messages(state) WHERE state = 'pending';
  `,
  // 4: where to reach a host's tmux over SSH for an interactive attach (`ssh -t DEST tmux …`);
  // NULL: the host is reached through its HTTP API only, and cannot be attached to.
  `
  ALTER TABLE hosts ADD COLUMN ssh TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
