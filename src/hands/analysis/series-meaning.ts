// What a metric series measures, read from its name and labels the way an SRE reads a
// dashboard: latency, errors, saturation, traffic, availability (the golden signals), or
// other. With it, the direction that is bad news, and what a reader needs to reason about
// the series: work per unit of demand, a resource a leak fills, a backlog, arrivals, a
// cache's hit share. Only
// Prometheus naming conventions are used (spec/bundle.md, "Metrics"), never a particular
// bundle's names. This is the one classifier: tools print its fields and brains read them.
import type { DirectionMeaning, Measure, Move, SeriesMeaning, SeriesMeaningFields } from '../../protocol/results/index.js';

export type { SeriesMeaning };

export type { DirectionMeaning };

// The golden signals, by the words of the name (matched on the lower-cased name). Short words
// are held to a word's start: `rooms_open` is no OOM and `preset` no reset.
const LATENCY = /(latency|duration|response_time|_p\d{2,3}(_|$)|_lag(_|$)|wait_time|wait_seconds|rtt|lcp|ttfb|(^|_)pause(_|$))/;
const ERRORS =
  /(dead_?letter|(^|_)dlq(_|$)|poison|error|errors|_5xx|5xx_|(^|_)5\d\d(_|$)|fail|failure|failures|exception|timeout|timeouts|timedout|reject|(^|_)errs(_|$)|dropped|(^|_)drops?(_|$)|retrans|panic|crash|restarts|rebalanc|(^|_)oom|(^|_)shed(_|$)|cancel|cancelled|canceled|fallback|denied|denials?|refused|unavailable|destroy|(^|_)resets?(_|$)|declin)/;
// A reserve of lent capacity is headroom too: a burstable host's CPU credits, a volume's burst
// balance (`cpu_credit_balance`, `CPUCreditBalance`, `BurstBalance`), spent under load.
const AVAILABILITY = /((^|_)up$|ready|healthy|available|avail|free|remaining|success_ratio|hit_ratio|apdex|credits?_?balance|burst_?balance)/;
const SATURATION =
  /(cpu|memory|mem_|_mem|heap|gc_|pool|queue|backlog|saturation|busy|utili[sz]ation|usage|disk|inode|_fd|file_descriptors|connections|conns|checked_?out|borrowed|leased|clients|sessions|activity|active|inflight|in_flight|pending|waiting|wait|threads|goroutines|(^|_)load\d*(_|$)|throttl|swap|evict(ions?|ed))/;
/**
 * People or their devices at work right now (`active_users`, `handheld_active_devices`,
 * `concurrent_viewers`): the crowd a service serves, which is demand, not a resource it holds.
 */
const POPULATION =
  /(^|_)(active|concurrent|logged_in|signed_in)_([a-z]+_)?(users|devices|handhelds|members|customers|players|viewers|visitors|riders|drivers|couriers|subscribers|listeners|shoppers|guests|learners|students|patients|officers|staff)(_|$)|(^|_)(users|devices|members|customers|players|viewers|visitors|riders|drivers|subscribers|shoppers|guests|learners|students)_(active|concurrent|logged_in|signed_in)(_|$)/;
/** A limit on a resource, not its use: a ceiling that moves is a change of capacity, worse when it shrinks. */
const LIMIT = /((^|_)max(_|$|[a-z])|limit|quota|capacity|allocatable)/;
/** ...unless the name measures use as a share of that limit (`cpu_usage_ratio_of_limit`), which is use, worse as it grows. */
const SHARE_OF_LIMIT = /(^|_)(of|to|vs|over)_(the_)?(limit|limits|max|quota|capacity|request|requests)(_|$)/;
/**
 * Demand arriving at a service: its rate is load, even where the name also says `queue`
 * (enqueued; things queued per minute, a count of what was put in, not what waits there).
 */
const ARRIVALS = /(enqueue|queued_(?:per_|total$)|arrival|arrived|submitted|incoming|received|_requests?_total$|(^|_)started_(per_|total$))/;
const ARRIVAL_WORDS = /(enqueue|queued_(?:per_|total$)|arrival|arrived|submitted|incoming|received|requests?|(^|_)started_(per_|total$))/;
/**
 * Sessions or logins counted per unit of time (`express_pay_sessions_per_minute`): how
 * many began, which is demand, not how many are held open at once (connections opened per
 * second stay a cost: a caller that dials one per message uses up its callee's room).
 */
const RATE_OF_STARTS = /(^|_)(sessions|logins|signins|sign_ins)(_[a-z]+)?_per_(second|sec|s|minute|min|m|hour|h)$/;
/** The number of members of a pool, named as a total: `workers_total`, `replicas_total`, `slots_total`. */
const POOL_SIZE = /(^|_)(workers|replicas|slots|nodes|threads|pods|instances|executors)_total$/;
const TRAFFIC = /(requests?|per_second|_rate$|_rps|_qps|throughput|calls|_ops|ops_total|traffic|_total$|attempts|commands_processed|queries)/;
const STATUS_KEYS = ['status', 'code', 'status_code', 'outcome', 'result', 'state'];
// Delivery reports name their failures too: a message that expired undelivered, was bounced,
// or (SMPP's own short states) `UNDELIV`, `REJECTD`.
// Input a service could not take names its failure as well: a frame of an `unsupported_version`,
// a `malformed` or `corrupt` record, one that is `undecodable`.
const BAD_STATUS = /^(5\d\d|5xx|4\d\d|4xx|error|errors|fail|failed|failure|timeout|timed_?out|rejected|rejectd|cancell?ed|canceled|dropped|shed|declined|denied|aborted|refused|blocked|invalid|unavailable|expired|undeliv|undelivered|undeliverable|bounced|nacked|unroutable|unsupported|malformed|corrupt|corrupted|unparseable|unparsable|undecodable|incompatible|unrecogni[sz]ed)$/i;
/**
 * A status value that names a failure, whole (`5xx`, `timeout`) or as one of its words
 * (`http_5xx`, `upstream-timeout`, `grpc_unavailable`), unless a word negates it (`no_error`).
 */
function badStatus(value: string): boolean {
  if (BAD_STATUS.test(value)) return true;
  const words = value.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return words.length > 1 && words.some((w) => BAD_STATUS.test(w)) && !words.some((w) => /^(no|non|not|without)$/i.test(w));
}
/** A point in time or a label carrier, not a level that degrades (anywhere in the name; `_info` and `_created` as its last word). */
const NOT_A_LEVEL = /(^|_)(timestamp|boot|version|expiration|expiry)(_|$)|_(info|created)$/;

/**
 * A reference to read a signal against, not the signal: last week's value (`:offset_7d`,
 * `_1w_ago`), a forecast, a baseline. It moves with the calendar, not with the incident.
 */
const REFERENCE = /(^|[_:])(offset_?\d+[smhdw]|\d+[hdw]_ago|last_?week|yesterday|forecast|forecasted|predicted|prediction|baseline|expected)([_:]|$)/;

/** Work per unit of demand: `queries_per_request`, `upstream_calls_per_request`. */
const PER_UNIT = /_per_(?!(?:second|sec|s|minute|min|m|hour|hr|h|day|d|ms|millisecond|microsecond|us|ns|week|month|year|cpu|core|node|host|instance|pod|replica|worker|thread|shard|partition|gb|mb|kb|byte|bytes|1k|1000|100|k)s?(?:_|$))[a-z]+s?(_|$)/;
/**
 * A fan-out is how many recipients or calls one unit of work goes to: work per unit by its
 * nature. Not a fan-out's configured batch or limit, which is a setting exported, not work done.
 */
const FAN_OUT = /^(?!.*(^|_)(batch|size|limit|max|min|config|setting)(_|$)).*(^|_)fan_?out(_|$)/;
/** ...nor how long a fan-out takes or lags (`fanout_lag_seconds`): that is a time, not work per unit. */
const TIMED = /(^|_)(lag|latency|duration|delay|seconds|secs|ms|millis|time)(_|$)/;
const fanOut = (name: string): boolean => FAN_OUT.test(name) && !TIMED.test(name);
/** A size in bytes, read at a percentile or a quantile: the size of one unit of work. */
const SIZE = /(^|_)(bytes|size|size_bytes)(_|$)/;
const PERCENTILE = /_p\d{2,3}(_|$)/;

function sizePercentile(name: string, labels: Readonly<Record<string, string>>): boolean {
  return SIZE.test(name) && (PERCENTILE.test(name) || 'quantile' in labels);
}
/** Messages given up on (a dead-letter queue): failures piling up, not work waiting to be done. */
const DEAD_LETTER = /(dead_?letter|(^|_)dlq(_|$)|poison)/;
const BACKLOG = /(lag|backlog|queue|depth|pending|behind|outstanding|unprocessed|age_seconds|_age$|staleness)/;
/** What a leak fills, in use (memory, handles, and the disk a process writes to, as logs pile up)... */
const HELD =
  /(mem|heap|rss|resident|working_set|alloc|inuse|in_use|open_fds|file_descriptors|_fds?(_|$)|connections|conns|checked_?out|borrowed|leased|connected_clients|clients|sockets|goroutines|threads|handles|subscriptions|pubsub|channels|ephemeral_storage|(storage|disk|fs|filesystem)_(used|usage))/;
/** ...and not the ceiling on it. */
const CEILING = /(limit|max|capacity|request|quota|total_bytes$|size_bytes$)/;
/** ...nor a flow of it (connections accepted per second, sockets opened): a rate of events climbs with the load, and holds nothing. */
const FLOW = /(per_second|per_sec|per_minute|_rate$|_total$|(^|_)(accepted|opened|closed|created|attempts?|attempted)(_|$))/;

// For a series none of the signals names, which way is bad news may still be read from its
// words, taken one by one: a duration, an error, a lag or a busy resource grows worse; a
// headroom, a success, a capacity or completed work shrinks worse. Request rates and the
// like are load: either way is context.
const WORD_LATENCY = new Set(['latency', 'duration', 'durations', 'elapsed', 'rtt', 'lcp', 'fcp', 'ttfb', 'inp', 'fid', 'pause', 'took', 'wait', 'waiting']);
const WORD_ERRORS = new Set([
  'error', 'errors', 'err', 'errs', '5xx', 'fail', 'failed', 'fails', 'failure', 'failures', 'exception', 'exceptions', 'timeout',
  'timeouts', 'timedout', 'reject', 'rejects', 'rejected', 'rejections', 'dropped', 'drops', 'panic', 'panics', 'crash', 'crashes', 'restarts', 'oom',
  'shed', 'cancelled', 'canceled', 'fallback', 'fallbacks', 'denied', 'refused', 'unavailable', 'retries', 'retry', 'resets', 'reset',
  'aborted', 'aborts', 'invalid', 'declined', 'declines', 'denial', 'denials', 'bounced', 'dlq', 'deadletter', 'nack', 'nacks', 'throttled',
  // A buffer that ran dry or over, playback that stalled, work that was skipped.
  'underrun', 'underruns', 'overrun', 'overruns', 'stall', 'stalls', 'stalled', 'rebuffer', 'rebuffering', 'missed', 'unfilled',
]);
const WORD_HEADROOM = new Set(['remaining', 'avail', 'available', 'free', 'headroom', 'spare']);
const WORD_SUCCESS = new Set([
  'success', 'successes', 'successful', 'hit', 'hits', 'up', 'ready', 'healthy', 'health', 'apdex', 'ok', 'uptime', 'availability',
  'approval', 'approved', 'accepted', 'acceptance', 'authorized', 'authorised',
]);
const WORD_LAG = new Set(['lag', 'age', 'staleness', 'stale', 'behind', 'delay', 'delayed', 'oldest']);
const WORD_PER_UNIT = new Set(['request', 'call', 'op', 'query', 'job', 'message', 'order', 'transaction', 'txn', 'item']);
const WORD_CAPACITY = new Set(['max', 'limit', 'limits', 'capacity', 'quota', 'spec', 'replicas', 'allocatable', 'size']);
const WORD_SATURATION = new Set([
  'cpu', 'memory', 'mem', 'heap', 'gc', 'pool', 'queue', 'queued', 'backlog', 'depth', 'utilization', 'utilisation', 'usage', 'used',
  'busy', 'inflight', 'pending', 'goroutines', 'threads', 'connections', 'conns', 'clients', 'active', 'activity', 'saturation',
  'throttling', 'swap', 'evictions', 'evicted', 'disk', 'inode', 'inodes', 'fd', 'fds', 'load', 'retained', 'contention', 'locks',
  'blocked', 'open',
]);
const WORD_THROUGHPUT = new Set([
  'completed', 'completions', 'succeeded', 'processed', 'delivered', 'sent', 'published', 'loaded', 'throughput', 'created',
  'committed', 'commits', 'served', 'handled', 'written', 'indexed', 'consumed', 'acked',
]);
const TIME_UNITS = new Set(['seconds', 'second', 'ms', 'milliseconds', 'us', 'microseconds', 'ns', 'nanoseconds']);
const WORD_STATUS_KEYS = ['status', 'code', 'status_code', 'outcome', 'result', 'state', 'response_code'];
const WORD_GOOD_STATUS = /^(2\d\d|2xx|ok|success|succeeded|completed|hit)$/i;

/** Words that make `hit` (or `hits`) before them a share of requests, not a count: `cache_hit_ratio`, `CacheHitRate`, `hits_pct`. */
const SHARE_WORDS = new Set(['ratio', 'rate', 'pct', 'percent', 'percentage', 'fraction', 'share']);

/** A cache's share of hits or of misses, by its words (a rate of hits per second says `per`, and is traffic). */
function isCacheShare(rawName: string, bucket: boolean, outcome: readonly string[]): boolean {
  if (bucket) return false;
  const words = wordsOf(rawName);
  if (words.includes('per') || words.includes('total')) return false;
  return words.some((w, i) => outcome.includes(w) && SHARE_WORDS.has(words[i + 1] ?? ''));
}

function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

const any = (words: readonly string[], vocabulary: ReadonlySet<string>): boolean => words.some((w) => vocabulary.has(w));

/** Which way is bad news for a series no signal names, when its words say; else null. */
function otherWorse(rawName: string, labels: Readonly<Record<string, string>>): Move | null {
  const words = wordsOf(rawName);
  const status = WORD_STATUS_KEYS.map((k) => labels[k]).find((v) => v !== undefined) ?? null;
  const cpuTime = words.includes('cpu');
  if (words.some((w) => /^p\d{2,3}$/.test(w)) || any(words, WORD_LATENCY) || (words.includes('time') && !cpuTime)) return 'up';
  if ((status !== null && badStatus(status)) || any(words, WORD_ERRORS)) return 'up';
  if (any(words, WORD_HEADROOM)) return 'down';
  if (any(words, WORD_SUCCESS) || (status !== null && WORD_GOOD_STATUS.test(status))) return 'down';
  if (any(words, WORD_LAG)) return 'up';
  const per = words.indexOf('per');
  if (per >= 0 && WORD_PER_UNIT.has(words[per + 1] ?? '')) return 'up';
  // A bare time unit is a duration (page_load_ms), unless it is a rate of time or CPU time.
  const timed = TIME_UNITS.has(words[words.length - 1] ?? '') && words[words.length - 2] !== 'per' && !words.includes('total') && !cpuTime;
  if (timed) return 'up';
  if (any(words, WORD_CAPACITY)) return 'down';
  if (any(words, WORD_SATURATION)) return 'up';
  if (any(words, WORD_THROUGHPUT)) return 'down';
  return null;
}

function signalOf(rawName: string, name: string, labels: Readonly<Record<string, string>>): { measures: Measure; worseWhen: Move | null } {
  // A histogram bucket counts observations under a bound: its rate is throughput, neither
  // latency nor demand (slower requests move from low buckets to high ones). Its latency is
  // read from the buckets together (histograms.ts).
  if ('le' in labels) return { measures: 'traffic', worseWhen: null };
  if (name.startsWith('histogram_quantile(')) return { measures: 'latency', worseWhen: 'up' };
  if (NOT_A_LEVEL.test(name) || REFERENCE.test(name)) return { measures: 'other', worseWhen: null };
  const failing = STATUS_KEYS.some((key) => badStatus(labels[key] ?? ''));
  // A percentile of a size (`frame_bytes_p50`, a payload size's quantile) is how big one unit
  // of work is, not how long it took.
  if (sizePercentile(name, labels)) return { measures: 'other', worseWhen: 'up' };
  if ('quantile' in labels || LATENCY.test(name)) return { measures: 'latency', worseWhen: 'up' };
  if (failing || ERRORS.test(name)) return { measures: 'errors', worseWhen: 'up' };
  // Work per unit of demand is neither demand nor a symptom of its own: more of it per request is worse.
  if (PER_UNIT.test(name) || fanOut(name)) return { measures: 'other', worseWhen: 'up' };
  // Work ready and waiting in a queue (`queue_messages_ready`) is a backlog, not a service that is ready.
  if (AVAILABILITY.test(name) && !BACKLOG.test(name)) return { measures: 'availability', worseWhen: 'down' };
  if (ARRIVALS.test(name) || POPULATION.test(name) || RATE_OF_STARTS.test(name)) return { measures: 'traffic', worseWhen: null };
  if (SATURATION.test(name)) return LIMIT.test(name) && !SHARE_OF_LIMIT.test(name) ? { measures: 'other', worseWhen: 'down' } : { measures: 'saturation', worseWhen: 'up' };
  // How many members a pool has (`gunicorn_workers_total`, `replicas_total`): its size, a gauge,
  // not a count of work done however its name ends.
  if (POOL_SIZE.test(name)) return { measures: 'other', worseWhen: 'down' };
  if (TRAFFIC.test(name)) return { measures: 'traffic', worseWhen: null };
  return { measures: 'other', worseWhen: otherWorse(rawName, labels) };
}

/** A signed distance from a reference: a clock's offset, a skew, a drift (not a paging or byte offset). */
const DEVIATION = /(^|_)(clock_offset|time_offset|timex_offset|offset_seconds|offset_ms|skew|drift)(_|$)/;

/** What a series measures, which way is worse, and the refinements a reader needs. */
export function seriesMeaning(rawName: string, labels: Readonly<Record<string, string>> = {}): SeriesMeaning {
  const name = rawName.toLowerCase();
  const signal = signalOf(rawName, name, labels);
  const bucket = 'le' in labels;
  return {
    ...signal,
    perUnit: PER_UNIT.test(name) || fanOut(name) || sizePercentile(name, labels),
    canLeak: HELD.test(name) && !CEILING.test(name) && !FLOW.test(name) && !bucket,
    backlog: BACKLOG.test(name) && !DEAD_LETTER.test(name),
    arrivals: signal.measures === 'traffic' && !bucket && ARRIVAL_WORDS.test(name),
    hitShare: isCacheShare(rawName, bucket, ['hit', 'hits']),
    missShare: isCacheShare(rawName, bucket, ['miss', 'misses']),
    deviation: !bucket && DEVIATION.test(name),
  };
}

/** What a move in this direction means for a series of this meaning: traffic is load, anything else worse or better when it says. */
export function directionMeaning(meaning: Pick<SeriesMeaning, 'measures' | 'worseWhen'>, direction: Move): DirectionMeaning | null {
  if (meaning.measures === 'traffic') return direction === 'up' ? 'more load' : 'less load';
  if (meaning.worseWhen === null) return null;
  return direction === meaning.worseWhen ? 'worse' : 'better';
}

/** The meaning as tool results print it: the refinements appear only when they hold. */
export function meaningFields(meaning: SeriesMeaning): SeriesMeaningFields {
  return {
    measures: meaning.measures,
    worse_when: meaning.worseWhen,
    ...(meaning.perUnit ? { per_unit: true as const } : {}),
    ...(meaning.canLeak ? { can_leak: true as const } : {}),
    ...(meaning.backlog ? { backlog: true as const } : {}),
    ...(meaning.arrivals ? { arrivals: true as const } : {}),
    ...(meaning.hitShare ? { hit_share: true as const } : {}),
    ...(meaning.missShare ? { miss_share: true as const } : {}),
    ...(meaning.deviation ? { deviation: true as const } : {}),
  };
}
