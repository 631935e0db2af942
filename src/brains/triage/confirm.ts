// Before concluding on a change, look in the logs for what its risky edit would cause
// (pool exhaustion after a pool was cut, retries after retries were added...). A match
// gives the diagnosis a `file:line` to cite; no match changes nothing.
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { readMatches, resultOf } from './read.js';
import type { Replay } from './replay.js';
import { addFinding, evidenceOf, type Suspect } from './suspects.js';
import { escapeRegExp } from '../../regexp.js';

const CONSEQUENCES: Record<string, readonly string[]> = {
  cache_removed: ['cache', 'database', 'query', 'statement', 'slow', 'timeout', 'timed out'],
  call_in_loop: ['query', 'statement', 'database', 'slow', 'timeout', 'timed out', 'pool'],
  regex_backtracking: ['event loop', 'blocked', 'slow', 'timeout', 'timed out', 'cpu', 'lag'],
  memory_use_raised: ['OOMKilled', 'out of memory', 'OutOfMemory', 'exit code 137', 'memory', 'killed'],
  unbounded_growth: ['OOMKilled', 'out of memory', 'OutOfMemory', 'memory', 'heap', 'GC', 'killed', 'evict', 'maxmemory'],
  eager_load_removed: ['query', 'queries', 'statement', 'database', 'slow', 'timeout', 'timed out', 'pool'],
  cache_key_widened: ['cache', 'miss', 'database', 'query', 'slow', 'timeout', 'timed out'],
  index_bypassed: ['slow query', 'slowlog', 'seq scan', 'sequential scan', 'statement timeout', 'canceling statement', 'timeout', 'timed out', 'pool'],
  table_lock: ['lock', 'waiting for', 'statement timeout', 'lock timeout', 'canceling statement', 'timeout', 'timed out', 'pool'],
  resource_leak: ['pool', 'QueuePool', 'connection', 'checked out', 'idle in transaction', 'too many', 'exhausted', 'leak', 'timeout', 'timed out'],
  lock_held_across_call: ['mutex', 'lock', 'contention', 'waiting', 'deadline', 'timeout', 'timed out'],
  blocking_wait: ['thread pool', 'starvation', 'ThreadPool', 'threads', 'queued', 'heartbeat', 'timeout', 'timed out'],
  batch_shrunk: ['throttl', 'rate limit', 'too many', 'pool', 'connection', 'overload', 'timeout', 'timed out'],
  work_more_often: ['saturat', 'bandwidth', 'throttl', 'overload', 'timeout', 'timed out', 'queue'],
  batch_grown: ['poll', 'rebalanc', 'CommitFailed', 'leaving group', 'visibility', 'lease', 'deadline', 'timeout', 'timed out'],
  made_synchronous: ['pool', 'connection', 'could not obtain', 'waiting', 'timeout', 'timed out'],
  compression_removed: ['disk', 'fsync', 'I/O', 'io wait', 'iowait', 'bandwidth', 'throughput', 'slow', 'nfs', 'storage', 'timed out'],
  compiled_per_call: ['cpu', 'CPU', 'slow', 'timeout', 'timed out', 'queue', 'GC', 'saturat'],
  client_per_call: ['handshake', 'TLS', 'TIME_WAIT', 'connection', 'connect', 'socket', 'timeout', 'timed out'],
  limit_changed: ['pool', 'connection', 'timeout', 'timed out', 'deadline', 'limit', 'exhausted', 'acquire', 'throttl'],
  limit_removed: ['timeout', 'limit', 'deadline', 'overload', 'exhausted'],
  retry_added: ['retry', 'retrying', 'attempt', 'timeout', 'timed out'],
  retry_increased: ['retry', 'retrying', 'attempt', 'timeout', 'timed out'],
  backoff_reduced: ['retry', 'retrying', 'attempt', 'throttl', 'rate limit'],
  cache_ttl_shortened: ['cache', 'miss', 'database', 'query', 'slow', 'timeout', 'timed out'],
  flag_guard: ['slow', 'timeout', 'timed out', 'overload', 'queue'],
  flag_enabled: ['slow', 'timeout', 'timed out', 'overload', 'queue', 'budget'],
  default_removed: ['NullPointerException', 'is null', 'undefined', 'nil pointer', 'KeyError', 'not found'],
  value_removed: ['No enum constant', 'unknown value', 'invalid value', 'not found'],
  archived_unreadable: ['InvalidObjectState', 'restore', 'archive', 'rehydrat', 'not available', 'storage class', 'BlobArchived'],
  objects_expired: ['NoSuchKey', 'not found', 'NotFound', 'unknown', 'does not exist', 'DeleteMarker', '404'],
  message_key_changed: ['lag', 'behind', 'backlog', 'partition'],
  expiry_aligned: ['cache', 'miss', 'database', 'pool', 'connection', 'timeout', 'timed out'],
  schema_lock: ['waiting for', 'lock timeout', 'Wait queue', 'metadata lock', 'statement timeout', 'canceling statement', 'timed out', 'pool'],
  access_narrowed: ['connection refused', 'connection timed out', 'connect timeout', 'i/o timeout', 'no route', 'unreachable', 'denied', 'forbidden', 'reset by peer', 'timed out'],
  refresh_removed: ['expired', 'token', '401', 'Unauthorized', 'unauthorized'],
  wire_format_changed: ['Unrecognized field', 'unknown field', 'missing field', 'could not be read', 'deserializ', 'unmarshal', 'parse', 'JSON'],
};


/**
 * Edits whose consequence is the changed service's own behaviour: retries it makes more of, or
 * sooner. Only its own lines can show them; another service retrying against the same party (a
 * rate limit it hit, `retry_after_s` in its record) says nothing of this edit.
 */
const OWN_DOING = new Set(['retry_added', 'retry_increased', 'backoff_reduced']);

/** Searches the logs for the consequences of the suspect's risky edits; adds what it finds to its evidence. */
export async function confirmInLogs(r: Replay, episode: Episode, suspect: Suspect): Promise<void> {
  const kinds = suspect.risks.map((risk) => risk.kind).filter((kind) => CONSEQUENCES[kind] !== undefined);
  const words = [...new Set(kinds.flatMap((kind) => CONSEQUENCES[kind] ?? []))];
  if (words.length === 0) return;
  const own = suspect.change.service !== null && kinds.every((kind) => OWN_DOING.has(kind)) ? suspect.change.service : null;
  const result = resultOf('search_logs', await r.call('search_logs', {
    pattern: words.map(escapeRegExp).join('|'),
    regex: true,
    ignore_case: true,
    level: 'warn',
    ...(own === null ? {} : { service: own }),
    from: iso(suspect.change.at),
    to: iso(episode.onset + 20 * 60_000),
    max_matches: 5,
  }));
  if (result === null) return;
  const { total, matches } = readMatches(result);
  const first = matches[0];
  if (!first) {
    r.say(`The logs show no warning about ${words.slice(0, 4).join(', ')} after ${suspect.change.id}.`);
    return;
  }
  r.say(`The logs agree: ${total} warnings or errors about ${words.slice(0, 4).join(', ')} since ${suspect.change.id}, the first at ${first.ref}.`);
  if (!evidenceOf(suspect).some((e) => e.ref === first.ref)) {
    addFinding(suspect, 'consequence_logged', `the logs show what its edit would cause (${first.ref})`, [
      { source: 'logs', ref: first.ref, detail: `${first.t === null ? '' : `${iso(first.t)} `}${first.text.slice(0, 240)}` },
    ]);
  }
}
