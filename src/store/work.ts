// The work queue of self-hosted environments as rows: items, their claims and leases,
// and the digests of the sessions tokens each claim was given. The rules (who may claim
// what, when a lease has lapsed) live in the runtime; this is storage and the queries.
import type { Database } from './db.js';
import { prepared, transaction } from './db.js';

export const WORK_STATES = ['queued', 'starting', 'active', 'stopping', 'stopped'] as const;
export type WorkState = (typeof WORK_STATES)[number];

export interface WorkRow {
  id: string;
  environment_id: string;
  session_id: string;
  state: WorkState;
  metadata: Record<string, string>;
  created_at: string;
  acknowledged_at: string | null;
  started_at: string | null;
  latest_heartbeat_at: string | null;
  stop_requested_at: string | null;
  stopped_at: string | null;
  /** How many times a poll has handed the item out; a sessions token belongs to one claim. */
  claim: number;
  /** When (ms) the current claim was handed out; null while nobody has polled it. */
  claimed_at: number | null;
  worker_id: string | null;
  /** The value a worker must echo on its next heartbeat; null before the first. */
  last_heartbeat: string | null;
  /** When (ms) the holder's lease runs out; null before it is acknowledged. */
  lease_expires_at: number | null;
  ttl_seconds: number | null;
}

type Raw = Omit<WorkRow, 'metadata'> & { metadata: string };

function fromRaw(raw: Raw | undefined): WorkRow | undefined {
  if (raw === undefined) return undefined;
  return { ...raw, metadata: JSON.parse(raw.metadata) as Record<string, string> };
}

const UPDATABLE = [
  'state',
  'acknowledged_at',
  'started_at',
  'latest_heartbeat_at',
  'stop_requested_at',
  'stopped_at',
  'claim',
  'claimed_at',
  'worker_id',
  'last_heartbeat',
  'lease_expires_at',
  'ttl_seconds',
] as const;
export type WorkChange = Partial<Pick<WorkRow, (typeof UPDATABLE)[number]>>;

export class WorkRecords {
  constructor(private readonly db: Database) {}

  insert(row: Pick<WorkRow, 'id' | 'environment_id' | 'session_id' | 'created_at'>): void {
    prepared(this.db, "INSERT INTO work_items (id, environment_id, session_id, state, metadata, created_at) VALUES (?, ?, ?, 'queued', '{}', ?)")
      .run(row.id, row.environment_id, row.session_id, row.created_at);
  }

  get(id: string): WorkRow | undefined {
    return fromRaw(prepared(this.db, 'SELECT * FROM work_items WHERE id = ?').get(id) as Raw | undefined);
  }

  /** The session's item that is not stopped, if any. */
  live(sessionId: string): WorkRow | undefined {
    return fromRaw(
      prepared(this.db, "SELECT * FROM work_items WHERE session_id = ? AND state != 'stopped' ORDER BY created_at DESC, id DESC LIMIT 1").get(sessionId) as
        | Raw
        | undefined,
    );
  }

  /**
   * The oldest item of an environment a poll may hand out now: queued and never handed
   * out, or handed out before `unackedBefore` (ms) and never acknowledged, or held by a
   * worker whose lease ran out before `now`.
   */
  claimable(environmentId: string, now: number, unackedBefore: number): WorkRow | undefined {
    return fromRaw(
      prepared(
        this.db,
        `SELECT * FROM work_items WHERE environment_id = ? AND (
             (state = 'queued' AND (claimed_at IS NULL OR claimed_at < ?))
             OR (state IN ('starting', 'active') AND lease_expires_at IS NOT NULL AND lease_expires_at < ?)
      ) ORDER BY created_at, id LIMIT 1`,
        )
        .get(environmentId, unackedBefore, now) as Raw | undefined,
    );
  }

  update(id: string, change: WorkChange): void {
    const keys = UPDATABLE.filter((key) => key in change);
    if (keys.length === 0) return;
    const values = keys.map((key) => change[key] ?? null);
    prepared(this.db, `UPDATE work_items SET ${keys.map((key) => `${key} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
  }

  /** Runs `work` in one transaction, so a claim read and the claim written cannot interleave with another poll. */
  atomically<T>(work: () => T): T {
    return transaction(this.db, work);
  }

  addToken(tokenHash: string, workId: string, claim: number): void {
    prepared(this.db, 'INSERT INTO work_tokens (token_hash, work_id, claim) VALUES (?, ?, ?)').run(tokenHash, workId, claim);
  }

  token(tokenHash: string): { work_id: string; claim: number } | undefined {
    return prepared(this.db, 'SELECT work_id, claim FROM work_tokens WHERE token_hash = ?').get(tokenHash) as { work_id: string; claim: number } | undefined;
  }

  revokeTokens(workId: string): void {
    prepared(this.db, 'DELETE FROM work_tokens WHERE work_id = ?').run(workId);
  }

  list(environmentId: string, options: { after?: string; limit: number }): { data: WorkRow[]; next: string | null } {
    const rows = (
      prepared(this.db, 'SELECT * FROM work_items WHERE environment_id = ? AND id > ? ORDER BY id LIMIT ?')
        .all(environmentId, options.after ?? '', options.limit + 1) as unknown as Raw[]
    ).map((raw) => fromRaw(raw) as WorkRow);
    const more = rows.length > options.limit;
    const data = more ? rows.slice(0, options.limit) : rows;
    return { data, next: more ? (data.at(-1)?.id ?? null) : null };
  }

  /** Items waiting to be handed out, handed out but not acknowledged, and the oldest of either. */
  stats(environmentId: string): { depth: number; pending: number; oldest: string | null } {
    const row = prepared(
      this.db,
      `SELECT SUM(CASE WHEN claimed_at IS NULL THEN 1 ELSE 0 END) AS depth,
                SUM(CASE WHEN claimed_at IS NOT NULL THEN 1 ELSE 0 END) AS pending,
                MIN(created_at) AS oldest
         FROM work_items WHERE environment_id = ? AND state = 'queued'`,
    )
      .get(environmentId) as { depth: number | null; pending: number | null; oldest: string | null };
    return { depth: row.depth ?? 0, pending: row.pending ?? 0, oldest: row.oldest };
  }
}
