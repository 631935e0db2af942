// The append-only, hash-chained event log of each session. An event gets its id and
// processed_at here, and is committed before anyone is told about it.
import { prepared, type Database } from './db.js';
import { readBody } from './event-body.js';
import { DamagedEvent } from './failures.js';
import { chainHash, GENESIS_HASH, verifyChain, type ChainProblem, type ChainRow } from './hash-chain.js';
import { orderedId } from './ids.js';

/** An event as stored and served: the wire object plus its position in the log. */
export interface StoredEvent {
  seq: number;
  event: { id: string; type: string; processed_at: string; [key: string]: unknown };
}

export type NewEvent = { type: string; [key: string]: unknown };

/** A stored row with its place in the hash chain; `event` is null when the row cannot be read back. */
export interface ChainedEvent {
  seq: number;
  id: string;
  prevHash: string;
  hash: string;
  /** The stored text (null when the row holds no text at all). */
  body: string | null;
  event: StoredEvent['event'] | null;
  /** What is wrong with an unreadable row. */
  damage: string | null;
}

export interface ListOptions {
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
  order?: 'asc' | 'desc';
  types?: readonly string[];
}

export class EventLog {
  constructor(private readonly db: Database) {}

  /** Appends in the caller's transaction (the caller owns BEGIN/COMMIT). */
  appendInTransaction(sessionId: string, events: readonly NewEvent[], now: Date = new Date()): StoredEvent[] {
    const last = prepared(this.db, 'SELECT seq, hash FROM events WHERE session_id = ? ORDER BY seq DESC LIMIT 1')
      .get(sessionId) as { seq: number; hash: string } | undefined;
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const insert = prepared(
      this.db,
      'INSERT INTO events (session_id, seq, id, type, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const stored: StoredEvent[] = [];
    for (const draft of events) {
      seq += 1;
      // A caller may bring the id it already streamed a preview under (event_start/event_delta).
      const id = typeof draft['id'] === 'string' && draft['id'].startsWith('sevt_') ? draft['id'] : orderedId('sevt', now.getTime());
      const event = { ...draft, id, processed_at: now.toISOString() } as StoredEvent['event'];
      const body = JSON.stringify(event);
      const hash = chainHash(prevHash, body);
      insert.run(sessionId, seq, event.id, event.type, body, prevHash, hash);
      prevHash = hash;
      stored.push({ seq, event });
    }
    return stored;
  }

  /** The session's events; an unreadable row stops the read with a DamagedEvent that names it. */
  list(sessionId: string, options: ListOptions = {}): StoredEvent[] {
    return this.chained(sessionId, options).map((row) => {
      if (!row.event) throw new DamagedEvent(sessionId, row.seq, row.id, row.damage ?? 'it cannot be read');
      return { seq: row.seq, event: row.event };
    });
  }

  /** Every row with its hash link, unreadable ones included (event null), for checking the chain. */
  chained(sessionId: string, options: ListOptions = {}): ChainedEvent[] {
    const where = ['session_id = ?'];
    const params: Array<string | number> = [sessionId];
    if (options.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(options.afterSeq);
    }
    if (options.beforeSeq !== undefined) {
      where.push('seq < ?');
      params.push(options.beforeSeq);
    }
    if (options.types && options.types.length > 0) {
      where.push(`type IN (${options.types.map(() => '?').join(', ')})`);
      params.push(...options.types);
    }
    const order = options.order === 'desc' ? 'DESC' : 'ASC';
    const limit = options.limit ?? -1;
    const rows = prepared(this.db, `SELECT seq, id, body, prev_hash, hash FROM events WHERE ${where.join(' AND ')} ORDER BY seq ${order} LIMIT ?`)
      .all(...params, limit) as unknown as ChainRow[];
    return rows.map((row) => {
      const read = readBody(row.body);
      return {
        seq: row.seq,
        id: String(row.id),
        prevHash: String(row.prev_hash),
        hash: String(row.hash),
        body: typeof row.body === 'string' ? row.body : null,
        event: read.event,
        damage: read.damage,
      };
    });
  }

  lastSeq(sessionId: string): number {
    const row = prepared(this.db, 'SELECT MAX(seq) AS seq FROM events WHERE session_id = ?').get(sessionId) as
      | { seq: number | null }
      | undefined;
    return row?.seq ?? 0;
  }

  seqOf(eventId: string): { sessionId: string; seq: number } | undefined {
    const row = prepared(this.db, 'SELECT session_id, seq FROM events WHERE id = ?').get(eventId) as
      | { session_id: string; seq: number }
      | undefined;
    return row ? { sessionId: row.session_id, seq: row.seq } : undefined;
  }

  /** Walks the whole chain of a session and names every gap or damaged row. */
  verify(sessionId: string): ChainProblem[] {
    const rows = prepared(this.db, 'SELECT seq, id, body, prev_hash, hash FROM events WHERE session_id = ? ORDER BY seq ASC')
      .all(sessionId) as unknown as ChainRow[];
    return verifyChain(rows);
  }
}

