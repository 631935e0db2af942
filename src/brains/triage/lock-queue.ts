// A migration's brief exclusive lock that queued behind a long transaction. Most schema edits
// (a column added, dropped or renamed) lock their table for milliseconds and pass unnoticed, so
// such an edit is no mechanism by itself. It becomes one when the database's own logs show the
// queue: right as the change ran, sessions began to wait for a lock (Postgres' "still waiting
// for AccessShareLock … Wait queue", MySQL's "Waiting for table metadata lock", lock timeouts),
// and everything that reads the table queues behind the migration. Then the change is on the
// path through the database, and its schema edit is the mechanism. An index built in place holds
// its lock for the whole build: the writers queue behind it the same way, whoever they are.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import type { PathLink } from './path.js';
import { templateText, type ChangeInfo, type TemplateInfo } from './read.js';

/** Schema edits that take a lock on their table: briefly (`schema_lock`) or for their whole run (`table_lock`, an index built in place). */
const TAKES_TABLE_LOCK = new Set(['schema_lock', 'table_lock']);

/** How a database says a session waits for a lock. */
const LOCK_WAIT = /\bwaiting for \w*\s?lock\b|\bwait queue\b|\block wait\b|\bmetadata lock\b|\block timeout\b|\bcould not obtain lock\b|\block not available\b|\bLockNotAvailable\b|\bblocked by process\b/i;
/** The queue forms as soon as the migration asks for its lock: within minutes of the change. */
const QUEUE_NEAR_MS = 10 * 60_000;

/** The lock-wait lines that began as the change's schema edit ran, if its diff has one. */
export function lockQueueOf(c: Case, episode: Episode, change: ChangeInfo, slackMs: number): TemplateInfo | null {
  const read = c.diffs.get(change.id);
  if (read === undefined || !read.riskSignals.some((r) => TAKES_TABLE_LOCK.has(r.kind))) return null;
  if (change.at > episode.onset + slackMs || episode.onset - change.at > QUEUE_NEAR_MS) return null;
  return (
    c.templates.find(
      (t) =>
        (t.flag === 'new' || t.flag === 'spiking') &&
        t.after >= 3 &&
        t.firstSeen !== null &&
        t.firstSeen <= episode.onset + QUEUE_NEAR_MS &&
        LOCK_WAIT.test(templateText(t)),
    ) ?? null
  );
}

/** The schema edit's path: the queue of sessions waiting for a lock, from when it ran. */
export function lockQueuePath(c: Case, episode: Episode, change: ChangeInfo, slackMs: number): PathLink | null {
  const queue = lockQueueOf(c, episode, change, slackMs);
  if (queue === null) return null;
  const table = c.diffs.get(change.id)?.riskSignals.find((r) => TAKES_TABLE_LOCK.has(r.kind))?.identifiers[0] ?? 'its table';
  return {
    reason: `its schema change on ${table} needs an exclusive lock, and as it ran sessions began to queue for locks ("${queue.template}", ${queue.example})`,
    movement: null,
    log: null,
  };
}
