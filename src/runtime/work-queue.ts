// The work queue of self-hosted environments, as the Managed Agents API keeps it: a
// session on an environment whose hands run on workers is queued as a work item; a
// worker polls (long-poll up to block_ms), acknowledges, keeps a lease alive with
// heartbeats (optimistic: it echoes the last heartbeat, a mismatch is a 412), answers
// the session's calls with the sessions token the poll gave it, and stops the item.
// An item whose holder stops heartbeating is handed to the next poll (a new claim, a new
// token; the old one goes stale), and so is one polled but never acknowledged within
// reclaim_older_than_ms.
import type { BetaSelfHostedWork, BetaSelfHostedWorkHeartbeatResponse, BetaSelfHostedWorkQueueStats } from '@anthropic-ai/sdk/resources/beta/environments/work';
import { orderedId, type Store, type WorkRow } from '../store/index.js';
import type { Principal, WorkAccess } from './access.js';
import { ApiError, badRequest, notFound } from './api-error.js';

export const NO_HEARTBEAT = 'NO_HEARTBEAT';
/** How long an item handed out but not acknowledged stays with that poller, unless the poll says otherwise. */
export const DEFAULT_RECLAIM_MS = 5_000;
export const DEFAULT_LEASE_TTL_SECONDS = 30;
const MIN_TTL_SECONDS = 1;
const MAX_TTL_SECONDS = 3_600;

export interface WorkQueueOptions {
  /** The lease a heartbeat grants when it asks for none (seconds). */
  leaseTtlSeconds?: number;
  /** A lapsed lease was reclaimed: the runtime settles what its holder may have left half done. */
  onReclaim?: (item: WorkRow) => void;
  /** An item was stopped: a session that still waits on its hands is queued again. */
  onStopped?: (item: WorkRow) => void;
}

export interface PollOptions {
  blockMs: number;
  reclaimOlderThanMs: number;
  workerId: string | null;
  /** Where the worker reached this runtime: given back in the secret. */
  apiBaseUrl: string;
  signal: AbortSignal;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export class WorkQueue {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly ttlSeconds: number;

  constructor(
    private readonly store: Store,
    private readonly access: WorkAccess,
    private readonly options: WorkQueueOptions = {},
  ) {
    this.ttlSeconds = options.leaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS;
  }

  /** Queues the session for a worker. */
  enqueue(sessionId: string, environmentId: string): WorkRow {
    const id = orderedId('work');
    this.store.work.insert({ id, environment_id: environmentId, session_id: sessionId, created_at: new Date().toISOString() });
    for (const wake of this.waiters.get(environmentId) ?? []) wake();
    return this.store.work.get(id) as WorkRow;
  }

  /** A session needs a worker again (its last item was stopped): queue it, unless an item is still live. */
  ensureLive(sessionId: string, environmentId: string): void {
    if (this.store.work.live(sessionId) === undefined) this.enqueue(sessionId, environmentId);
  }

  present(row: WorkRow, secret: string | null = null): BetaSelfHostedWork {
    return {
      id: row.id,
      type: 'work',
      environment_id: row.environment_id,
      data: { type: 'session', id: row.session_id },
      state: row.state,
      metadata: row.metadata,
      secret,
      created_at: row.created_at,
      acknowledged_at: row.acknowledged_at,
      started_at: row.started_at,
      latest_heartbeat_at: row.latest_heartbeat_at,
      stop_requested_at: row.stop_requested_at,
      stopped_at: row.stopped_at,
    };
  }

  item(environmentId: string, workId: string): WorkRow {
    const row = this.store.work.get(workId);
    if (!row || row.environment_id !== environmentId) throw notFound('work item', workId);
    return row;
  }

  /** Hands the oldest claimable item to the poller (with a fresh sessions token), waiting up to blockMs for one. */
  async poll(environmentId: string, options: PollOptions): Promise<BetaSelfHostedWork | null> {
    const deadline = Date.now() + options.blockMs;
    for (;;) {
      const claimed = this.claim(environmentId, options);
      if (claimed !== null || options.signal.aborted) return claimed;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await this.wait(environmentId, left, options.signal);
    }
  }

  private claim(environmentId: string, options: PollOptions): BetaSelfHostedWork | null {
    const now = Date.now();
    const taken = this.store.work.atomically(() => {
      const row = this.store.work.claimable(environmentId, now, now - options.reclaimOlderThanMs);
      if (!row) return null;
      const lapsed = row.state === 'starting' || row.state === 'active';
      const claim = row.claim + 1;
      this.store.work.update(row.id, {
        state: 'queued',
        claim,
        claimed_at: now,
        worker_id: options.workerId,
        acknowledged_at: null,
        started_at: null,
        last_heartbeat: null,
        lease_expires_at: null,
        ttl_seconds: null,
      });
      const token = this.access.issueSessionsToken(row.id, claim);
      return { row, lapsed, token };
    });
    if (taken === null) return null;
    // Before the new holder reads the session: what the old one may have left half done is settled.
    if (taken.lapsed) this.options.onReclaim?.(taken.row);
    const secret = Buffer.from(JSON.stringify({ sessions_token: taken.token, api_base_url: options.apiBaseUrl })).toString('base64url');
    return this.present(this.store.work.get(taken.row.id) as WorkRow, secret);
  }

  private wait(environmentId: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(environmentId) ?? new Set<() => void>();
      this.waiters.set(environmentId, set);
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      set.add(done);
    });
  }

  /** queued (handed out) → starting; the holder's first lease runs from here. */
  ack(environmentId: string, workId: string): BetaSelfHostedWork {
    const row = this.item(environmentId, workId);
    if (row.state !== 'queued' || row.claimed_at === null) {
      throw new ApiError(409, `work item ${workId} is ${row.state === 'queued' ? 'not handed out to a worker' : row.state}, not waiting for acknowledgement`);
    }
    const now = Date.now();
    this.store.work.update(workId, { state: 'starting', acknowledged_at: iso(now), lease_expires_at: now + this.ttlSeconds * 1000, ttl_seconds: this.ttlSeconds });
    return this.present(this.store.work.get(workId) as WorkRow);
  }

  heartbeat(
    environmentId: string,
    workId: string,
    principal: Principal | undefined,
    expected: string | null,
    desiredTtl: number | null,
  ): BetaSelfHostedWorkHeartbeatResponse {
    const row = this.item(environmentId, workId);
    const ttl = row.ttl_seconds ?? this.ttlSeconds;
    // Stopping or stopped: nothing to compare, the lease is not extended, the holder winds down.
    if (row.state === 'stopping' || row.state === 'stopped') {
      return { type: 'work_heartbeat', last_heartbeat: row.last_heartbeat ?? '', lease_extended: false, state: row.state, ttl_seconds: ttl };
    }
    const stored = row.last_heartbeat ?? NO_HEARTBEAT;
    const stale = principal?.kind === 'work' && !principal.current;
    if (stale || (expected ?? NO_HEARTBEAT) !== stored || row.claimed_at === null) {
      throw new ApiError(412, `the lease of work item ${workId} is not this worker's: another worker may hold it`, {
        details: {
          error_code: 'heartbeat_precondition_failed',
          current_state: { last_heartbeat: row.last_heartbeat, lease_extended: false, state: row.state, ttl_seconds: ttl },
        },
      });
    }
    const granted = Math.min(MAX_TTL_SECONDS, Math.max(MIN_TTL_SECONDS, desiredTtl ?? this.ttlSeconds));
    const previous = row.last_heartbeat ? Date.parse(row.last_heartbeat) : 0;
    const now = Math.max(Date.now(), previous + 1);
    const beat = iso(now);
    this.store.work.update(workId, {
      state: 'active',
      acknowledged_at: row.acknowledged_at ?? iso(now),
      started_at: row.started_at ?? iso(now),
      latest_heartbeat_at: beat,
      last_heartbeat: beat,
      lease_expires_at: now + granted * 1000,
      ttl_seconds: granted,
    });
    return { type: 'work_heartbeat', last_heartbeat: beat, lease_extended: true, state: 'active', ttl_seconds: granted };
  }

  /** Stops an item: at once with force (or when nobody holds it), else it is told to stop on its holder's next heartbeat. */
  stop(environmentId: string, workId: string, principal: Principal | undefined, force: boolean): BetaSelfHostedWork {
    const row = this.item(environmentId, workId);
    if (row.state === 'stopped') throw new ApiError(409, `work item ${workId} is already stopped`);
    if (principal?.kind === 'work' && !principal.current) {
      throw new ApiError(403, `the claim this sessions token was given with is over (work item ${workId}); the item is no longer this worker's to stop`, { type: 'permission_error' });
    }
    const now = iso(Date.now());
    const held = row.state === 'starting' || row.state === 'active';
    if (force || !held) this.store.work.update(workId, { state: 'stopped', stop_requested_at: row.stop_requested_at ?? now, stopped_at: now, lease_expires_at: null });
    else this.store.work.update(workId, { state: 'stopping', stop_requested_at: now });
    const stopped = this.store.work.get(workId) as WorkRow;
    // A worker stops an item once its session has been quiet a while; a call that came just then still needs one.
    if (stopped.state === 'stopped') this.options.onStopped?.(stopped);
    return this.present(stopped);
  }

  list(environmentId: string, options: { after?: string; limit: number }): { data: BetaSelfHostedWork[]; next: string | null } {
    const page = this.store.work.list(environmentId, options);
    return { data: page.data.map((row) => this.present(row)), next: page.next };
  }

  stats(environmentId: string): BetaSelfHostedWorkQueueStats {
    const stats = this.store.work.stats(environmentId);
    return { type: 'work_queue_stats', depth: stats.depth, pending: stats.pending, oldest_queued_at: stats.oldest, workers_polling: null };
  }

  /** block_ms as the API takes it: 1 to 999; absent means do not wait. */
  static blockMs(raw: string | null): number {
    if (raw === null || raw === '') return 0;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 999) throw badRequest('block_ms must be a whole number of milliseconds from 1 to 999');
    return value;
  }

  static reclaimMs(raw: string | null): number {
    if (raw === null || raw === '') return DEFAULT_RECLAIM_MS;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw badRequest('reclaim_older_than_ms must be a whole number of milliseconds');
    return value;
  }
}
