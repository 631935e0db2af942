// Versioned schema migrations, applied in order inside one transaction each.
// PRAGMA user_version records the last one applied; never edit a shipped migration.
export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema.
  `
  CREATE TABLE agents (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    content_hash TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    archived_at TEXT,
    PRIMARY KEY (id, version)
  );
  CREATE INDEX agents_hash ON agents (content_hash);

  CREATE TABLE environments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    content_hash TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
  );
  CREATE INDEX environments_hash ON environments (content_hash);

  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    scope_id TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT
  );
  CREATE INDEX files_sha ON files (sha256);

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    agent_version INTEGER NOT NULL,
    environment_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
  );
  CREATE INDEX sessions_created ON sessions (created_at);

  CREATE TABLE resources (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    file_id TEXT NOT NULL,
    mount_path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX resources_session ON resources (session_id);

  CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
  );
  `,
  // 2: which process drives a session, so two processes never run the same turn.
  `
  CREATE TABLE leases (
    session_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // 3: environment definitions registered by the runtime's operator, keyed by the hash
  // the runtime computed, and which of them each environment runs. Both are written by
  // the runtime alone: the old content_hash column held whatever a client wrote into
  // metadata, so no existing environment is bound to a definition.
  `
  CREATE TABLE environment_definitions (
    hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    registered_at TEXT NOT NULL
  );
  ALTER TABLE environments ADD COLUMN definition_hash TEXT;
  `,
  // 4: the work queue of self-hosted environments: one item per stretch of a session that
  // needs a worker, and the sessions tokens each claim of an item was given (by digest).
  `
  CREATE TABLE work_items (
    id TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT,
    started_at TEXT,
    latest_heartbeat_at TEXT,
    stop_requested_at TEXT,
    stopped_at TEXT,
    claim INTEGER NOT NULL DEFAULT 0,
    claimed_at INTEGER,
    worker_id TEXT,
    last_heartbeat TEXT,
    lease_expires_at INTEGER,
    ttl_seconds INTEGER
  );
  CREATE INDEX work_items_queue ON work_items (environment_id, state, created_at);
  CREATE INDEX work_items_session ON work_items (session_id);

  CREATE TABLE work_tokens (
    token_hash TEXT PRIMARY KEY,
    work_id TEXT NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
    claim INTEGER NOT NULL
  );
  `,
  // 5: whether an upload's bytes are mounted by a session, kept on the upload's own row by
  // triggers, so counting the unmounted uploads (done on every upload) reads those alone,
  // not every file the state folder ever held.
  `
  ALTER TABLE files ADD COLUMN mounted INTEGER NOT NULL DEFAULT 0;
  UPDATE files SET mounted = 1 WHERE scope_id IS NULL
    AND EXISTS (SELECT 1 FROM files AS m WHERE m.sha256 = files.sha256 AND m.scope_id IS NOT NULL);
  CREATE INDEX files_unmounted ON files (created_at) WHERE scope_id IS NULL AND mounted = 0;
  CREATE TRIGGER files_upload_added AFTER INSERT ON files WHEN NEW.scope_id IS NULL
  BEGIN
    UPDATE files SET mounted = EXISTS (SELECT 1 FROM files AS m WHERE m.sha256 = NEW.sha256 AND m.scope_id IS NOT NULL)
    WHERE id = NEW.id;
  END;
  CREATE TRIGGER files_copy_added AFTER INSERT ON files WHEN NEW.scope_id IS NOT NULL
  BEGIN
    UPDATE files SET mounted = 1 WHERE sha256 = NEW.sha256 AND scope_id IS NULL AND mounted = 0;
  END;
  CREATE TRIGGER files_copy_removed AFTER DELETE ON files WHEN OLD.scope_id IS NOT NULL
  BEGIN
    UPDATE files SET mounted = EXISTS (SELECT 1 FROM files AS m WHERE m.sha256 = OLD.sha256 AND m.scope_id IS NOT NULL)
    WHERE sha256 = OLD.sha256 AND scope_id IS NULL;
  END;
  `,
  // 6: a session's agent snapshot (its whole definition, tens of kilobytes) in a column of
  // its own, so the record rewritten as each event is appended is a few hundred bytes. The
  // body keeps an "agent": null in its place. A row whose body does not parse is left as
  // it was, to be named as damaged when read.
  `
  ALTER TABLE sessions ADD COLUMN agent TEXT;
  UPDATE sessions SET agent = json_extract(body, '$.agent'), body = json_set(body, '$.agent', json('null'))
    WHERE json_valid(body) AND json_type(body, '$.agent') = 'object';
  `,
];
