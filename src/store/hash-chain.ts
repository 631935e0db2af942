// Each stored event carries the hash of the one before it, so a reader can prove it
// has the whole history, or say exactly where it is damaged. The chain guards against
// accidental damage (torn writes, bad disks, partial copies); it is not a seal against
// someone who can write the database, who can recompute every hash (that would need a
// key, an HMAC, the writer does not have).
import { createHash } from 'node:crypto';
import { readBody } from './event-body.js';

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(prevHash: string, body: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface ChainRow {
  seq: number;
  id: string;
  /** The stored text; anything else (a damaged row) is reported, never thrown on. */
  body: unknown;
  prev_hash: string;
  hash: string;
}

export interface ChainProblem {
  seq: number;
  eventId: string | null;
  problem: 'gap' | 'broken_link' | 'tampered' | 'unreadable';
  detail: string;
}

/**
 * Checks rows (ordered by seq, starting at `fromSeq` whose predecessor hash is
 * `prevHash`) and names every gap or damaged row instead of hiding it.
 */
export function verifyChain(rows: readonly ChainRow[], fromSeq = 1, prevHash = GENESIS_HASH): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let expectedSeq = fromSeq;
  let expectedPrev = prevHash;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      problems.push({
        seq: expectedSeq,
        eventId: null,
        problem: 'gap',
        detail: `events ${expectedSeq}..${row.seq - 1} are missing`,
      });
    } else if (row.prev_hash !== expectedPrev) {
      problems.push({ seq: row.seq, eventId: row.id, problem: 'broken_link', detail: 'does not follow the event before it' });
    }
    const { damage } = readBody(row.body);
    if (damage) {
      problems.push({ seq: row.seq, eventId: row.id, problem: 'unreadable', detail: damage });
    } else if (chainHash(row.prev_hash, row.body as string) !== row.hash) {
      problems.push({ seq: row.seq, eventId: row.id, problem: 'tampered', detail: 'its content does not match its hash' });
    }
    expectedSeq = row.seq + 1;
    expectedPrev = row.hash;
  }
  return problems;
}
