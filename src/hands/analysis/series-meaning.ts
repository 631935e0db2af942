// What a metric measures, and so which way is bad, read from its name and labels by the
// Prometheus conventions an SRE reads a dashboard by: latency, errors and saturation going
// up is worse; throughput, successes, hit ratios and headroom going down is worse; request
// rate going up is more load (neither better nor worse by itself). A name that says none of
// this gets no meaning rather than a guess.

export type Measure =
  | 'latency'
  | 'errors'
  | 'saturation'
  | 'lag'
  | 'cost'
  | 'capacity'
  | 'headroom'
  | 'success'
  | 'throughput'
  | 'load';

export interface SeriesMeaning {
  measures: Measure;
  /** The direction that is bad news; null for load, where either way is context. */
  worseWhen: 'up' | 'down' | null;
}

export type DirectionMeaning = 'worse' | 'better' | 'more load' | 'less load';

/** Anywhere in the name: a point in time or a label carrier, not a level that degrades. */
const NOT_A_SIGNAL = new Set(['timestamp', 'version', 'build', 'boot', 'start', 'expiration', 'expiry']);
/** As the last word only (OpenMetrics `_created`, `_info` series). */
const NOT_A_SIGNAL_SUFFIX = new Set(['created', 'info']);
const HEADROOM = new Set(['remaining', 'avail', 'available', 'free', 'headroom', 'spare']);
const ERRORS = new Set([
  'error', 'errors', 'err', 'errs', '5xx', 'fail', 'failed', 'fails', 'failure', 'failures', 'exception', 'exceptions', 'timeout',
  'timeouts', 'timedout', 'rejected', 'rejections', 'dropped', 'drops', 'panic', 'panics', 'crash', 'crashes', 'restarts', 'oom',
  'shed', 'cancelled', 'canceled', 'fallback', 'fallbacks', 'denied', 'refused', 'unavailable', 'retries', 'retry', 'resets', 'reset',
  'aborted', 'aborts', 'invalid', 'declined', 'bounced', 'dlq', 'deadletter', 'nack', 'nacks', 'throttled',
]);
const SUCCESS = new Set(['success', 'successes', 'successful', 'hit', 'hits', 'up', 'ready', 'healthy', 'health', 'apdex', 'ok', 'uptime', 'availability']);
const LATENCY = new Set([
  'latency', 'duration', 'durations', 'elapsed', 'rtt', 'lcp', 'fcp', 'ttfb', 'inp', 'fid', 'pause', 'took', 'wait', 'waiting',
]);
const TIME_UNITS = new Set(['seconds', 'second', 'ms', 'milliseconds', 'us', 'microseconds', 'ns', 'nanoseconds']);
const LAG = new Set(['lag', 'age', 'staleness', 'stale', 'behind', 'delay', 'delayed', 'oldest']);
const PER_UNIT = new Set(['request', 'call', 'op', 'query', 'job', 'message', 'order', 'transaction', 'txn', 'item']);
const CAPACITY = new Set(['max', 'limit', 'limits', 'capacity', 'quota', 'spec', 'replicas', 'allocatable', 'size']);
const SATURATION = new Set([
  'cpu', 'memory', 'mem', 'heap', 'gc', 'pool', 'queue', 'queued', 'backlog', 'depth', 'utilization', 'utilisation', 'usage', 'used',
  'busy', 'inflight', 'pending', 'goroutines', 'threads', 'connections', 'conns', 'clients', 'active', 'activity', 'saturation',
  'throttling', 'swap', 'evictions', 'evicted', 'disk', 'inode', 'inodes', 'fd', 'fds', 'load', 'retained', 'contention', 'locks',
  'blocked', 'open',
]);
const THROUGHPUT = new Set([
  'completed', 'completions', 'succeeded', 'processed', 'delivered', 'sent', 'published', 'loaded', 'throughput', 'created',
  'committed', 'commits', 'served', 'handled', 'written', 'indexed', 'consumed', 'acked',
]);
const LOAD = new Set([
  'requests', 'request', 'rps', 'qps', 'calls', 'queries', 'sessions', 'views', 'attempts', 'commands', 'messages', 'traffic',
  'invocations', 'logins', 'signups', 'visits', 'ops', 'operations', 'rate', 'total', 'hits',
]);
const STATUS_KEYS = ['status', 'code', 'status_code', 'outcome', 'result', 'state', 'response_code'];
const BAD_STATUS = /^(5\d\d|5xx|4\d\d|4xx|error|errors|fail|failed|failure|timeout|timed_?out|rejected|cancell?ed|canceled|dropped|shed|denied|aborted)$/i;
const GOOD_STATUS = /^(2\d\d|2xx|ok|success|succeeded|completed|hit)$/i;

function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

function any(words: readonly string[], vocabulary: ReadonlySet<string>): boolean {
  return words.some((w) => vocabulary.has(w));
}

/** `*_p99`, `p95` and the like. */
function isPercentile(word: string): boolean {
  return /^p\d{2,3}$/.test(word);
}

/** What the series measures and which way is worse, or null when its name does not say. */
export function seriesMeaning(name: string, labels: Readonly<Record<string, string>> = {}): SeriesMeaning | null {
  const words = wordsOf(name);
  const status = STATUS_KEYS.map((k) => labels[k]).find((v) => v !== undefined) ?? null;
  if (any(words, NOT_A_SIGNAL) || NOT_A_SIGNAL_SUFFIX.has(words[words.length - 1] ?? '')) return null;
  // A histogram bucket's rate is observations per second under a bound: throughput. Its
  // latency is read from the buckets together (histograms.ts).
  if ('le' in labels) return { measures: 'throughput', worseWhen: 'down' };
  if (name.startsWith('histogram_quantile(')) return { measures: 'latency', worseWhen: 'up' };
  const cpuTime = words.includes('cpu');
  if ('quantile' in labels || words.some(isPercentile) || any(words, LATENCY) || (words.includes('time') && !cpuTime)) {
    return { measures: 'latency', worseWhen: 'up' };
  }
  if ((status !== null && BAD_STATUS.test(status)) || any(words, ERRORS)) return { measures: 'errors', worseWhen: 'up' };
  if (any(words, HEADROOM)) return { measures: 'headroom', worseWhen: 'down' };
  if (any(words, SUCCESS) || (status !== null && GOOD_STATUS.test(status))) return { measures: 'success', worseWhen: 'down' };
  if (any(words, LAG)) return { measures: 'lag', worseWhen: 'up' };
  // Work per unit of demand (queries per request) grows when code does more for the same traffic.
  const per = words.indexOf('per');
  if (per >= 0 && PER_UNIT.has(words[per + 1] ?? '')) return { measures: 'cost', worseWhen: 'up' };
  // A bare time unit is a duration (page_load_ms), once ages are ruled out above and unless
  // it counts CPU time.
  const perUnit = words[words.length - 2] === 'per';
  const timed = TIME_UNITS.has(words[words.length - 1] ?? '') && !perUnit && !words.includes('total') && !cpuTime;
  if (timed) return { measures: 'latency', worseWhen: 'up' };
  if (any(words, CAPACITY)) return { measures: 'capacity', worseWhen: 'down' };
  if (any(words, SATURATION)) return { measures: 'saturation', worseWhen: 'up' };
  if (any(words, THROUGHPUT)) return { measures: 'throughput', worseWhen: 'down' };
  if (any(words, LOAD) || words.includes('second') || words.includes('minute')) return { measures: 'load', worseWhen: null };
  return null;
}

/** What a move in this direction means for a series of this meaning. */
export function directionMeaning(meaning: SeriesMeaning | null, direction: 'up' | 'down'): DirectionMeaning | null {
  if (meaning === null) return null;
  if (meaning.worseWhen === null) return direction === 'up' ? 'more load' : 'less load';
  return direction === meaning.worseWhen ? 'worse' : 'better';
}
