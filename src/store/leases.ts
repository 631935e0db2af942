// A session is driven by one process at a time. The driver holds a lease it renews;
// a lease whose holder died (same host, process gone) or expired is free to take.
import { hostname } from 'node:os';
import type { Database } from './db.js';
import { prepared, transaction } from './db.js';

export const LEASE_TTL_MS = 15_000;

export function processOwner(): string {
  return `${hostname()}:${process.pid}:${Math.round(performance.timeOrigin)}`;
}

function holderAlive(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname()) return true; // another machine: trust the expiry
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LeaseTable {
  constructor(
    private readonly db: Database,
    readonly owner: string = processOwner(),
  ) {}

  /** Takes the lease if it is free, expired, its holder is dead, or it is already ours. */
  acquire(sessionId: string, now: number = Date.now()): boolean {
    return transaction(this.db, () => {
      const row = prepared(this.db, 'SELECT owner, expires_at FROM leases WHERE session_id = ?').get(sessionId) as
        | { owner: string; expires_at: number }
        | undefined;
      if (row && row.owner !== this.owner && row.expires_at > now && holderAlive(row.owner)) return false;
      prepared(this.db, 'INSERT OR REPLACE INTO leases (session_id, owner, expires_at) VALUES (?, ?, ?)')
        .run(sessionId, this.owner, now + LEASE_TTL_MS);
      return true;
    });
  }

  renew(sessionIds: readonly string[], now: number = Date.now()): void {
    const update = prepared(this.db, 'UPDATE leases SET expires_at = ? WHERE session_id = ? AND owner = ?');
    for (const id of sessionIds) update.run(now + LEASE_TTL_MS, id, this.owner);
  }

  release(sessionId: string): void {
    prepared(this.db, 'DELETE FROM leases WHERE session_id = ? AND owner = ?').run(sessionId, this.owner);
  }
}
