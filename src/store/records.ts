// Agents, environments, environment definitions, files, sessions and resources: each
// row keeps the API object as JSON (what GET returns) beside the columns used to find it.
import { fileOf, prepared, type Database } from './db.js';
import { DamagedRecord } from './failures.js';

export interface Page<T> {
  data: T[];
  /** The row key to continue after, or null at the end. */
  next: string | null;
}

/** A row's API object; a row that does not parse is named as damaged, never thrown as a SyntaxError. */
function parseRecord<T>(db: Database, body: string, what: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new DamagedRecord(what, fileOf(db));
  }
}

/** Runs a statement that reads a record's JSON in SQL; a record that does not parse there is named as damaged too. */
function damagedAsRecord<T>(db: Database, what: string, statement: () => T): T {
  try {
    return statement();
  } catch (error) {
    if (error instanceof Error && /malformed JSON/i.test(error.message)) throw new DamagedRecord(what, fileOf(db));
    throw error;
  }
}

/** A page of rows fetched with one row beyond `limit` (which says whether more follow), each made an object by `read`. */
function pageOf<R extends { key: string }, T>(rows: R[], limit: number, read: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { data: kept.map(read), next: more ? (kept[kept.length - 1]?.key ?? null) : null };
}

export class AgentRecords {
  constructor(private readonly db: Database) {}

  insert(agent: { id: string; version: number; name: string; created_at: string }, contentHash: string | null): void {
    prepared(this.db, 'INSERT INTO agents (id, version, name, content_hash, body, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(agent.id, agent.version, agent.name, contentHash, JSON.stringify(agent), agent.created_at);
  }

  latest<T>(id: string): T | undefined {
    const row = prepared(this.db, 'SELECT body FROM agents WHERE id = ? ORDER BY version DESC LIMIT 1').get(id) as
      | { body: string }
      | undefined;
    return row ? parseRecord<T>(this.db, row.body, `agent ${id}`) : undefined;
  }

  version<T>(id: string, version: number): T | undefined {
    const row = prepared(this.db, 'SELECT body FROM agents WHERE id = ? AND version = ?').get(id, version) as
      | { body: string }
      | undefined;
    return row ? parseRecord<T>(this.db, row.body, `agent ${id} version ${version}`) : undefined;
  }

  replaceLatest(agent: { id: string; version: number }): void {
    prepared(this.db, 'UPDATE agents SET body = ? WHERE id = ? AND version = ?').run(JSON.stringify(agent), agent.id, agent.version);
  }

  archive(id: string, at: string): void {
    prepared(this.db, 'UPDATE agents SET archived_at = ? WHERE id = ?').run(at, id);
  }

  /** The latest version of each agent, oldest first. */
  list<T>(options: { after?: string; limit: number; includeArchived: boolean }): Page<T> {
    const rows = prepared(
      this.db,
      `SELECT a.id AS key, a.body AS body FROM agents a
         WHERE a.version = (SELECT MAX(version) FROM agents b WHERE b.id = a.id)
           AND (? OR a.archived_at IS NULL) AND a.id > ?
         ORDER BY a.id ASC LIMIT ?`,
    )
      .all(options.includeArchived ? 1 : 0, options.after ?? '', options.limit + 1) as Array<{ key: string; body: string }>;
    return pageOf(rows, options.limit, (row) => parseRecord<T>(this.db, row.body, `agent ${row.key}`));
  }

  versions<T>(id: string, options: { after?: number; limit: number }): Page<T> {
    const rows = prepared(
      this.db,
      `SELECT CAST(version AS TEXT) AS key, body FROM agents WHERE id = ? AND version > ? ORDER BY version ASC LIMIT ?`,
    )
      .all(id, options.after ?? 0, options.limit + 1) as Array<{ key: string; body: string }>;
    return pageOf(rows, options.limit, (row) => parseRecord<T>(this.db, row.body, `agent ${id} version ${row.key}`));
  }
}

/** An environment as stored: the API object, and the hash of the definition it runs (null: none). */
export interface EnvironmentRow<T> {
  api: T;
  /** Written only by the runtime, from a definition its operator registered; never from a request. */
  definitionHash: string | null;
}

interface EnvironmentSqlRow {
  key: string;
  body: string;
  definition_hash: string | null;
}

// Rows written before the definition_hash column also carry a client-sent `extension`
// in their body; it is never read.
function environmentRow<T>(db: Database, row: EnvironmentSqlRow): EnvironmentRow<T> {
  return { api: parseRecord<{ api: T }>(db, row.body, `environment ${row.key}`).api, definitionHash: row.definition_hash };
}

export class EnvironmentRecords {
  constructor(private readonly db: Database) {}

  insert(env: { id: string; name: string; created_at: string; updated_at: string }, definitionHash: string | null): void {
    prepared(this.db, 'INSERT INTO environments (id, name, definition_hash, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(env.id, env.name, definitionHash, JSON.stringify({ api: env }), env.created_at, env.updated_at);
  }

  get<T>(id: string): EnvironmentRow<T> | undefined {
    const row = prepared(this.db, 'SELECT id AS key, body, definition_hash FROM environments WHERE id = ?').get(id) as EnvironmentSqlRow | undefined;
    return row ? environmentRow<T>(this.db, row) : undefined;
  }

  /** Replaces the API object; the bound definition never changes after creation. */
  update(env: { id: string; name: string; updated_at: string; archived_at?: string | null }): void {
    prepared(this.db, 'UPDATE environments SET body = ?, name = ?, updated_at = ?, archived_at = ? WHERE id = ?')
      .run(JSON.stringify({ api: env }), env.name, env.updated_at, env.archived_at ?? null, env.id);
  }

  delete(id: string): void {
    prepared(this.db, 'DELETE FROM environments WHERE id = ?').run(id);
  }

  /** `definitionHash`: only environments bound to that definition. */
  list<T>(options: { after?: string; limit: number; includeArchived: boolean; definitionHash?: string }): Page<EnvironmentRow<T>> {
    const bound = options.definitionHash === undefined ? '' : 'AND definition_hash = ?';
    const rows = prepared(
      this.db,
      `SELECT id AS key, body, definition_hash FROM environments WHERE (? OR archived_at IS NULL) AND id > ? ${bound} ORDER BY id ASC LIMIT ?`,
    )
      .all(
        options.includeArchived ? 1 : 0,
        options.after ?? '',
        ...(options.definitionHash === undefined ? [] : [options.definitionHash]),
        options.limit + 1,
      ) as unknown as EnvironmentSqlRow[];
    return pageOf(rows, options.limit, (row) => environmentRow<T>(this.db, row));
  }
}

/**
 * Environment definitions the runtime's operator registered, by the hash the runtime
 * computed. Only the runtime's own registration writes here; a reader re-checks the
 * hash against the content before trusting it.
 */
export class EnvironmentDefinitionRecords {
  constructor(private readonly db: Database) {}

  save(hash: string, name: string, definition: string): void {
    prepared(
      this.db,
      `INSERT INTO environment_definitions (hash, name, definition, registered_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (hash) DO UPDATE SET name = excluded.name, definition = excluded.definition`,
    )
      .run(hash, name, definition, new Date().toISOString());
  }

  get(hash: string): { name: string; definition: string } | undefined {
    return prepared(this.db, 'SELECT name, definition FROM environment_definitions WHERE hash = ?').get(hash) as
      | { name: string; definition: string }
      | undefined;
  }
}

export interface FileRow {
  id: string;
  sha256: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
  scope_id: string | null;
  created_at: string;
  expires_at: string | null;
}

/** A file row's columns as FileRow has them (the table also keeps `mounted`, for the query below). */
const FILE_COLUMNS = 'id, sha256, filename, mime_type, size_bytes, scope_id, created_at, expires_at';

/** Uploads outside any session whose bytes no session's copy shares (`mounted` is kept by triggers). */
const UNMOUNTED = `SELECT ${FILE_COLUMNS} FROM files WHERE scope_id IS NULL AND mounted = 0`;

export class FileRecords {
  constructor(private readonly db: Database) {}

  insert(file: FileRow): void {
    prepared(
      this.db,
      'INSERT INTO files (id, sha256, filename, mime_type, size_bytes, scope_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
      .run(file.id, file.sha256, file.filename, file.mime_type, file.size_bytes, file.scope_id, file.created_at, file.expires_at);
  }

  get(id: string): FileRow | undefined {
    return prepared(this.db, `SELECT ${FILE_COLUMNS} FROM files WHERE id = ?`).get(id) as FileRow | undefined;
  }

  delete(id: string): void {
    prepared(this.db, 'DELETE FROM files WHERE id = ?').run(id);
  }

  /**
   * Uploads that no session mounts: rows outside any session whose bytes no session's
   * copy shares. `bytes` counts each distinct content once, as it is stored.
   */
  unmountedUsage(): { files: number; bytes: number } {
    const row = prepared(
      this.db,
      `WITH unmounted AS (${UNMOUNTED})
         SELECT (SELECT COUNT(*) FROM unmounted) AS files,
                (SELECT COALESCE(SUM(size_bytes), 0) FROM (SELECT DISTINCT sha256, size_bytes FROM unmounted)) AS bytes`,
    )
      .get() as { files: number; bytes: number };
    return { files: row.files, bytes: row.bytes };
  }

  /** Unmounted uploads created before `before` (ISO time), oldest first. */
  unmountedBefore(before: string, limit: number): FileRow[] {
    return prepared(this.db, `SELECT * FROM (${UNMOUNTED}) WHERE created_at < ? ORDER BY created_at ASC LIMIT ?`)
      .all(before, limit) as unknown as FileRow[];
  }

  countBySha(sha256: string): number {
    const row = prepared(this.db, 'SELECT COUNT(*) AS n FROM files WHERE sha256 = ?').get(sha256) as { n: number };
    return row.n;
  }

  list(options: { after?: string; limit: number; scopeId?: string; ids?: readonly string[] }): { data: FileRow[]; next: string | null } {
    const where = ['id > ?'];
    const params: Array<string | number> = [options.after ?? ''];
    if (options.scopeId) {
      where.push('scope_id = ?');
      params.push(options.scopeId);
    }
    if (options.ids && options.ids.length > 0) {
      where.push(`id IN (${options.ids.map(() => '?').join(', ')})`);
      params.push(...options.ids);
    }
    const rows = prepared(this.db, `SELECT ${FILE_COLUMNS} FROM files WHERE ${where.join(' AND ')} ORDER BY id ASC LIMIT ?`)
      .all(...params, options.limit + 1) as unknown as FileRow[];
    const more = rows.length > options.limit;
    const data = more ? rows.slice(0, options.limit) : rows;
    return { data, next: more ? (data[data.length - 1]?.id ?? null) : null };
  }
}

export interface SessionRow {
  id: string;
  status: string;
  body: string;
  created_at: string;
}

/** A session record as stored: the body with `agent: null` in its place, and the agent snapshot apart. */
function sessionColumns(session: { agent: unknown }): { body: string; agent: string } {
  return { body: JSON.stringify({ ...session, agent: null }), agent: JSON.stringify(session.agent) };
}

/** The API object back from its columns (a row written before the split keeps its agent in the body). */
function sessionOf<T>(db: Database, row: { key: string; body: string; agent: string | null }): T {
  const session = parseRecord<Record<string, unknown>>(db, row.body, `session ${row.key}`);
  if (row.agent !== null) session['agent'] = parseRecord(db, row.agent, `session ${row.key}`);
  return session as T;
}

export class SessionRecords {
  constructor(private readonly db: Database) {}

  insert(session: { id: string; status: string; created_at: string; updated_at: string; environment_id: string; agent: { id: string; version: number } }): void {
    const columns = sessionColumns(session);
    prepared(
      this.db,
      'INSERT INTO sessions (id, status, body, agent, agent_id, agent_version, environment_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
      .run(
        session.id,
        session.status,
        columns.body,
        columns.agent,
        session.agent.id,
        session.agent.version,
        session.environment_id,
        session.created_at,
        session.updated_at,
      );
  }

  get<T>(id: string): T | undefined {
    const row = prepared(this.db, 'SELECT id AS key, body, agent FROM sessions WHERE id = ?').get(id) as
      | { key: string; body: string; agent: string | null }
      | undefined;
    return row ? sessionOf<T>(this.db, row) : undefined;
  }

  save(session: { id: string; status: string; updated_at: string; archived_at: string | null; agent: unknown }): void {
    const columns = sessionColumns(session);
    prepared(this.db, 'UPDATE sessions SET body = ?, agent = ?, status = ?, updated_at = ?, archived_at = ? WHERE id = ?')
      .run(columns.body, columns.agent, session.status, session.updated_at, session.archived_at, session.id);
  }

  delete(id: string): void {
    prepared(this.db, 'DELETE FROM sessions WHERE id = ?').run(id);
  }

  /** A session's status from its column, without reading its record (undefined: no such session). */
  statusOf(id: string): string | undefined {
    return (prepared(this.db, 'SELECT status FROM sessions WHERE id = ?').get(id) as { status: string } | undefined)?.status;
  }

  /** The environment a session runs in, from its column (undefined: no such session). */
  environmentOf(id: string): string | undefined {
    const row = prepared(this.db, 'SELECT environment_id FROM sessions WHERE id = ?').get(id) as { environment_id: string } | undefined;
    return row?.environment_id;
  }

  /** Named top-level fields of a session's record, read without the rest of it (undefined: no such session). */
  fieldsOf<K extends string>(id: string, keys: readonly K[]): Partial<Record<K, unknown>> | undefined {
    const pairs = keys.map(() => '?, json_extract(body, ?)').join(', ');
    const row = damagedAsRecord(this.db, `session ${id}`, () =>
      prepared(this.db, `SELECT json_object(${pairs}) AS fields FROM sessions WHERE id = ?`).get(...keys.flatMap((key) => [key, `$.${key}`]), id),
    ) as { fields: string } | undefined;
    return row ? parseRecord<Partial<Record<K, unknown>>>(this.db, row.fields, `session ${id}`) : undefined;
  }

  /**
   * Sets the fields an event changes (status, usage, updated_at) in place. A session's
   * record carries its agent's whole definition (tens of kilobytes); reading and writing
   * it back for every event cost more than the rest of the append. Returns false when
   * the session does not exist.
   */
  touch(id: string, change: { updatedAt: string; status?: string; usage?: unknown }): boolean {
    const paths = ["'$.updated_at', ?"];
    const values: Array<string | null> = [change.updatedAt];
    if (change.status !== undefined) {
      paths.push("'$.status', ?");
      values.push(change.status);
    }
    if (change.usage !== undefined) {
      paths.push("'$.usage', json(?)");
      values.push(JSON.stringify(change.usage));
    }
    const result = damagedAsRecord(this.db, `session ${id}`, () =>
      prepared(this.db, `UPDATE sessions SET body = json_set(body, ${paths.join(', ')}), status = coalesce(?, status), updated_at = ? WHERE id = ?`)
        .run(...values, change.status ?? null, change.updatedAt, id),
    );
    return Number(result.changes) > 0;
  }

  idsWithStatus(status: string): string[] {
    return (prepared(this.db, 'SELECT id FROM sessions WHERE status = ? ORDER BY id').all(status) as Array<{ id: string }>).map(
      (row) => row.id,
    );
  }

  list<T>(options: {
    after?: string;
    limit: number;
    order: 'asc' | 'desc';
    statuses?: readonly string[];
    agentId?: string;
    includeArchived: boolean;
  }): Page<T> {
    const where = ['(? OR archived_at IS NULL)'];
    const params: Array<string | number> = [options.includeArchived ? 1 : 0];
    if (options.after) {
      where.push(options.order === 'desc' ? 'id < ?' : 'id > ?');
      params.push(options.after);
    }
    if (options.statuses && options.statuses.length > 0) {
      where.push(`status IN (${options.statuses.map(() => '?').join(', ')})`);
      params.push(...options.statuses);
    }
    if (options.agentId) {
      where.push('agent_id = ?');
      params.push(options.agentId);
    }
    const rows = prepared(
      this.db,
      `SELECT id AS key, body, agent FROM sessions WHERE ${where.join(' AND ')} ORDER BY id ${options.order === 'desc' ? 'DESC' : 'ASC'} LIMIT ?`,
    )
      .all(...params, options.limit + 1) as Array<{ key: string; body: string; agent: string | null }>;
    return pageOf(rows, options.limit, (row) => sessionOf<T>(this.db, row));
  }
}

export interface ResourceRow {
  id: string;
  session_id: string;
  file_id: string;
  mount_path: string;
  created_at: string;
  updated_at: string;
}

export class ResourceRecords {
  constructor(private readonly db: Database) {}

  insert(row: ResourceRow): void {
    prepared(this.db, 'INSERT INTO resources (id, session_id, file_id, mount_path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.id, row.session_id, row.file_id, row.mount_path, row.created_at, row.updated_at);
  }

  forSession(sessionId: string): ResourceRow[] {
    return prepared(this.db, 'SELECT * FROM resources WHERE session_id = ? ORDER BY id').all(sessionId) as unknown as ResourceRow[];
  }

  get(sessionId: string, id: string): ResourceRow | undefined {
    return prepared(this.db, 'SELECT * FROM resources WHERE session_id = ? AND id = ?').get(sessionId, id) as ResourceRow | undefined;
  }

  delete(id: string): void {
    prepared(this.db, 'DELETE FROM resources WHERE id = ?').run(id);
  }
}
