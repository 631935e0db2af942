// Whether a setting edit is risky, judged by what it does and in which direction: a limit
// (pool, connections, concurrency, queue, rate limit, memory, CPU, replicas) made smaller or a
// timeout made shorter is tighter and can starve a service; the same made larger is looser. More
// retries, less backoff, a shorter cache TTL, a feature flag turned on or rolled out wider, and a
// safety or behaviour switch flipped are risky; a longer TTL, a flag turned off, fewer retries
// are not. Keys are read as words (code-words.ts), never as substrings.
import { codeWords } from './code-words.js';
import type { EditDirection, RiskKind } from '../../protocol/results/index.js';
import { comparable, keyUnit, type SettingValue } from './risk-values.js';
import { judgeInstanceSize } from './risk-instance-size.js';
import { judgeStorageClass } from './risk-storage-class.js';

export type SettingClass = 'retries' | 'backoff' | 'ttl' | 'time_limit' | 'capacity' | 'rollout' | 'ambiguous';

export interface Judgement {
  risky: boolean;
  kind: RiskKind;
  direction: EditDirection;
  detail: string;
  /** How far the number moved (at least 1, either way), when both ends are positive numbers. */
  factor: number | null;
  category: SettingClass | 'switch' | 'flag';
}

const NOT_A_LIMIT = new Set([
  'version', 'ver', 'port', 'host', 'hostname', 'id', 'priority', 'level', 'sampling', 'sample', 'seed', 'precision', 'decimals', 'scale',
  'width', 'height', 'buckets', 'index', 'log', 'logging', 'verbosity', 'revision', 'build', 'release', 'tag', 'image', 'zoom', 'font',
  'weight', 'order', 'ordinal', 'position', 'offset', 'schema', 'period', 'schedule', 'cron', 'retention',
  'color', 'opacity', 'padding', 'margin', 'quality', 'ratio', 'code', 'status', 'step', 'mm', 'px', 'em',
]);
const AMBIGUOUS = new Set(['batch', 'page', 'chunk', 'prefetch', 'threshold', 'window', 'interval', 'frequency', 'warmup', 'ramp']);
const TTL = new Set(['ttl', 'ttls', 'expiry', 'expire', 'expires', 'expiration', 'expireafter', 'stale', 'freshness']);
const TIME_LIMIT = new Set(['timeout', 'timeouts', 'deadline', 'deadlines']);
const TIME_LIMIT_DURATION = new Set(['lifetime', 'keepalive', 'idle', 'grace', 'max', 'maximum', 'hold', 'lease', 'debounce', 'linger', 'settle', 'dwell']);
const BACKOFF = new Set(['backoff', 'delay', 'delays', 'jitter', 'sleep', 'cooldown', 'wait']);
const RETRIES = new Set(['retry', 'retries', 'attempts', 'attempt', 'tries', 'redeliveries', 'redelivery', 'redrive']);
const COUNT_WORDS = new Set(['max', 'maximum', 'count', 'limit', 'times', 'number', 'num']);
const CAPACITY = new Set([
  'pool', 'conns', 'conn', 'connections', 'connection', 'max', 'maximum', 'limit', 'limits', 'capacity', 'concurrency', 'concurrent',
  'workers', 'worker', 'threads', 'thread', 'parallelism', 'queue', 'buffer', 'backlog', 'burst', 'ratelimit', 'rps', 'qps', 'quota',
  'replicas', 'replica', 'instances', 'memory', 'mem', 'cpu', 'cpus', 'heap', 'xmx', 'xms', 'size', 'inflight', 'semaphore', 'permits',
  'slots', 'min', 'minimum', 'requests', 'cores', 'goroutines', 'maxconn', 'maxconns',
  // Provisioned throughput: a disk's or a table's IOPS and bandwidth are ceilings like a pool's size.
  'iops', 'throughput', 'bandwidth', 'tps',
]);
/** What a `max_…` of business logic bounds: a price, a fee, a factor applied to them (a retry's backoff multiplier is read before this). */
const PRICED = new Set(['multiplier', 'price', 'prices', 'fare', 'fares', 'fee', 'fees', 'discount', 'surcharge', 'markup', 'tip', 'amount', 'premium']);
const ROLLOUT = new Set(['rollout', 'percentage', 'percent', 'pct', 'exposure', 'traffic', 'canary', 'split', 'allocation']);
const FLAG_CONTEXT = new Set(['flag', 'flags', 'feature', 'features', 'toggle', 'toggles', 'experiment', 'experiments', 'rollout', 'variant', 'variants']);
const FLAG_PATH = /(^|\/)([\w-]*[-_.])?(flags?|features?|feature[-_]?flags?|toggles?|experiments?|launchdarkly|unleash|flipt|growthbook|optimizely)([-_.][\w-]*)?(\/|\.\w+$)/i;
const SWITCH = new Set([
  'require', 'required', 'requires', 'enable', 'enabled', 'disable', 'disabled', 'strict', 'verify', 'verification', 'validate',
  'validation', 'check', 'checks', 'enforce', 'enforced', 'enforcing', 'insecure', 'skip', 'allow', 'deny', 'secure', 'tls', 'ssl', 'mtls',
  'auth', 'authentication', 'authorization', 'cert', 'certs', 'certificate', 'breaker', 'fail', 'readonly', 'read', 'only', 'sync',
  'async', 'cache', 'caching', 'compression', 'keepalive', 'pooling', 'dry', 'fallback', 'circuit', 'throttle', 'throttling', 'block',
  'blocking', 'reject', 'safe', 'safety', 'lock', 'locking', 'idempotent', 'idempotency', 'sticky', 'https', 'redirect', 'sandbox',
]);
const CACHE = new Set(['cache', 'caching', 'cached', 'memoize', 'memo']);
/** Switches that are about safety even in a file of feature flags. */
const SAFETY = new Set(['require', 'required', 'strict', 'verify', 'enforce', 'enforced', 'tls', 'ssl', 'mtls', 'auth', 'cert', 'certificate', 'insecure']);

function wordsOf(key: string, parents: readonly string[]): { own: string[]; near: string[] } {
  const own = codeWords(key);
  const near = [...own, ...parents.slice(-2).flatMap((p) => codeWords(p))];
  return { own, near };
}

const has = (words: readonly string[], vocabulary: ReadonlySet<string>): boolean => words.some((w) => vocabulary.has(w));

export function inFlagContext(key: string, parents: readonly string[], path: string): boolean {
  return FLAG_PATH.test(path) || has(parents.flatMap((p) => codeWords(p)), FLAG_CONTEXT) || has(codeWords(key), FLAG_CONTEXT);
}

/** What kind of number a key holds, by its own words and those of the keys it sits under. */
export function classifyKey(key: string, parents: readonly string[], value: SettingValue, path: string): SettingClass | null {
  const { own, near } = wordsOf(key, parents);
  const duration = value.type === 'number' && value.dimension === 'duration';
  if (has(own, NOT_A_LIMIT)) return null;
  if (has(own, ROLLOUT) || (value.type === 'number' && value.dimension === 'percent' && inFlagContext(key, parents, path))) {
    return inFlagContext(key, parents, path) || has(own, new Set(['rollout'])) ? 'rollout' : null;
  }
  if (has(own, TTL) || (has(own, new Set(['age'])) && has(own, new Set(['max']))) || (duration && has(near, CACHE))) return 'ttl';
  if (has(own, TIME_LIMIT)) return 'time_limit';
  // The longest wait for a resource (`maxWait`) is a timeout; a wait between tries is backoff.
  if (has(own, new Set(['wait'])) && has(own, new Set(['max', 'maximum']))) return 'time_limit';
  if (has(own, BACKOFF) || (has(own, new Set(['interval'])) && has(near, RETRIES))) return 'backoff';
  if (has(own, RETRIES)) return 'retries';
  if (duration && has(own, TIME_LIMIT_DURATION)) return 'time_limit';
  // A generic key read through the block it sits in: `retry: {max: 3}`, `backoff: {initial: 100ms}`, `timeouts: {read: 5s}`.
  if (has(near, RETRIES) && has(own, COUNT_WORDS)) return 'retries';
  if (duration && has(near, BACKOFF)) return 'backoff';
  if (duration && has(near, TIME_LIMIT)) return 'time_limit';
  if (has(own, AMBIGUOUS) || has(near, AMBIGUOUS)) return 'ambiguous';
  // A bound on a price or a factor applied to one (a surge cap, a discount) is business logic, not room for work.
  if (has(own, PRICED)) return null;
  if (has(own, CAPACITY) || (has(near, CAPACITY) && !has(near, NOT_A_LIMIT))) return 'capacity';
  return null;
}

function fmt(value: SettingValue): string {
  return value.text.replace(/^(["'`])(.*)\1$/, '$2');
}

/** How far a number moved, as a factor of at least 1 either way (3 significant digits); null unless both are positive. */
function factorOf(a: number, b: number): number | null {
  if (!(a > 0) || !(b > 0)) return null;
  return +(b >= a ? b / a : a / b).toPrecision(3);
}

/** The factor as a detail says it: ` (×4)` up, ` (÷4)` down. */
function ratio(a: number, b: number): string {
  const factor = factorOf(a, b);
  if (factor === null) return '';
  return b >= a ? ` (×${factor})` : ` (÷${factor})`;
}

/** Numbers compared in one unit: a bare number beside a number with units takes the unit the key names. */
function numbers(o: SettingValue, n: SettingValue, key: string): [number, number] | null {
  if (o.type !== 'number' || n.type !== 'number') return null;
  if (comparable(o, n)) return [o.value, n.value];
  const unit = keyUnit(key);
  if (o.dimension === 'plain' && unit && unit.dimension === n.dimension) return [o.value * unit.scale, n.value];
  if (n.dimension === 'plain' && unit && unit.dimension === o.dimension) return [o.value, n.value * unit.scale];
  // A call site takes one unit: `timeout(2000)` → `timeout(ATTEMPT_TIMEOUT_MS)` (150 ms).
  const named = /^(\w+)\s*\(/.exec(n.text.includes('(') ? n.text : o.text);
  const other = named ? keyUnit(named[1] ?? '') : null;
  if (o.dimension === 'plain' && other) return [o.value * other.scale, n.value];
  if (n.dimension === 'plain' && other) return [o.value, n.value * other.scale];
  return null;
}

const MEMORY_WORDS = new Set(['mem', 'memory', 'heap', 'buffer', 'buffers', 'ram']);
/** Words of a time setting that every event waits out before it goes on, rather than a bound on how long it may take. */
const DELAY_WORDS = new Set(['debounce', 'hold', 'linger', 'settle', 'dwell']);
/** Words of a key that sizes one batch of work taken at once. */
const BATCH_WORDS = new Set(['batch', 'records', 'prefetch', 'chunk']);
/** A batch grown this many times is a different unit of work, not a tuning step. */
const BATCH_GROWTH = 4;

/** Words that say updates are gathered before they are sent on: conflation, coalescing, linger, debounce. */
const GATHER_WORDS = new Set(['conflation', 'conflate', 'conflating', 'coalesce', 'coalescing', 'coalesced', 'linger', 'debounce', 'batching', 'aggregation']);
/** Words of a key that sets how long updates are gathered. */
const WINDOW_WORDS = new Set(['window', 'linger', 'debounce', 'delay', 'wait', 'interval', 'period']);

/** A key for how long updates are gathered into one send: `conflation.window_ms`, `linger.ms`, `debounce_ms`. */
function gatheringWindow(key: string, parents: readonly string[]): boolean {
  const own = codeWords(key);
  const around = [...own, ...parents.flatMap((p) => codeWords(p))];
  return own.some((w) => WINDOW_WORDS.has(w)) && around.some((w) => GATHER_WORDS.has(w));
}

/** A key for how much work is taken at once: `max.poll.records`, `batch_size`, `prefetch_count`, `chunkSize`. */
function batchSize(key: string): boolean {
  return codeWords(key).some((w) => BATCH_WORDS.has(w));
}

/** Words of a key that sizes the piece of work one call carries or one object holds. */
const PIECE_WORDS = new Set(['batch', 'chunk', 'page', 'segment', 'part', 'fragment', 'slice']);
/** What a per-call size is counted per: `max_ids_per_call`, `rows_per_request`, `items-per-query`. */
const CALL_WORDS = new Set(['call', 'calls', 'request', 'requests', 'req', 'query', 'queries', 'rpc', 'message', 'batch', 'page', 'write', 'put']);
/** A piece cut to this share of its size or less is the same work in that many more calls, not a tuning step. */
const PIECE_SHRINK = 3;

/** A heavy job's interval cut at least this many times is that job run that many times as often. */
const HEAVY_JOB_MORE_OFTEN = 10;
/** Words of a job that does all its work each run: a full snapshot, an export, a rebuild, a dump, a sync of every record. */
const HEAVY_JOB_WORDS = new Set(['full', 'snapshot', 'snapshots', 'export', 'exports', 'rebuild', 'reindex', 'dump', 'backup', 'backups', 'sync', 'resync', 'refresh', 'recompute', 'reconcile', 'report', 'reports']);
const INTERVAL_WORDS = new Set(['interval', 'frequency', 'every', 'period', 'cadence']);

/** A key for how often a heavy job runs: `full_snapshot_interval`, `export.every`, with the job named in it or just above it. */
function heavyJobInterval(key: string, parents: readonly string[]): boolean {
  const words = codeWords(key);
  if (!words.some((w) => INTERVAL_WORDS.has(w))) return false;
  return [...words, ...parents.slice(-1).flatMap((p) => codeWords(p))].some((w) => HEAVY_JOB_WORDS.has(w));
}

/**
 * A key that sizes the piece of work one call carries: a batch, chunk, page, segment or part
 * (`batch_get.max_ids_per_call`, `SegmentTarget`, `page_size`), or a count per call.
 */
function pieceSize(key: string, parents: readonly string[]): boolean {
  const words = codeWords(key);
  const per = words.indexOf('per');
  if (per > 0 && per < words.length - 1 && CALL_WORDS.has(words[per + 1] ?? '')) return true;
  return words.some((w) => PIECE_WORDS.has(w)) || (words.some((w) => COUNT_WORDS.has(w) || w === 'size') && parents.slice(-1).flatMap((p) => codeWords(p)).some((w) => PIECE_WORDS.has(w)));
}

/** A key for the memory one unit of work takes: `SORT_MEM_PER_THREAD`, `buffer_per_connection`, `heapPerWorker`. */
function memoryPerUnit(key: string): boolean {
  const words = codeWords(key);
  const per = words.indexOf('per');
  return per > 0 && per < words.length - 1 && words.slice(0, per).some((w) => MEMORY_WORDS.has(w));
}

/** A keepalive interval lengthened by at least this much outlasts timeouts the old one stayed under. */
const KEEPALIVE_GROWTH = 1.5;
const KEEPALIVE_WORDS = new Set(['ping', 'pings', 'heartbeat', 'heartbeats', 'keepalive', 'keepalives']);
const KEEPALIVE_PACE = new Set(['interval', 'period', 'every', 'frequency']);

/** A key that paces a connection's keepalive: `ping_interval` (or `interval` under `keepalive:`), `heartbeat.period`. */
function keepaliveInterval(key: string, parents: readonly string[]): boolean {
  const own = codeWords(key);
  return has(own, KEEPALIVE_PACE) && has([...own, ...(parents.slice(-1) as string[]).flatMap((p) => codeWords(p))], KEEPALIVE_WORDS);
}

/** The verdict on one numeric edit of a setting of this class. */
/** Words of an autoscaler's block, and of the value it scales on. */
const SCALER_CONTEXT = new Set(['autoscaling', 'autoscaler', 'keda', 'hpa', 'scaler', 'scaling', 'scaledobject', 'triggers', 'trigger']);
const SCALER_TRIGGER = new Set(['threshold', 'target', 'targets', 'averagevalue', 'average']);
/** A lifetime lengthened this many times over no longer ends while anyone waits on it. */
const NEVER_EXPIRES_FACTOR = 1000;
const SCALING_TRIGGER_GROWTH = 2;

/** A key that sets when an autoscaler adds replicas: its own words say threshold or target, its blocks say autoscaling. */
function scalingTrigger(key: string, parents: readonly string[]): boolean {
  return has(codeWords(key), SCALER_TRIGGER) && has([...codeWords(key), ...parents.flatMap((p) => codeWords(p))], SCALER_CONTEXT);
}

function judgeNumber(cls: SettingClass, key: string, parents: readonly string[], label: string, o: SettingValue, n: SettingValue): Judgement | null {
  const pair = numbers(o, n, key);
  const change = `${fmt(o)} → ${fmt(n)}`;
  if (pair === null) return { risky: false, kind: 'setting_changed', direction: 'changed', detail: `${label} changed ${change}`, factor: null, category: cls };
  const [a, b] = pair;
  const factor = factorOf(a, b);
  if (a === b) return null;
  // A negative value is how most systems spell "no limit" (-1): the limit or throttle is gone,
  // and whatever it protected takes the full load (or waits forever).
  if ((cls === 'capacity' || cls === 'time_limit') && b < 0 && a >= 0) {
    return { risky: true, kind: 'limit_removed', direction: 'removed', detail: `${label} removed ${change} (a negative value means no limit)`, factor, category: cls };
  }
  const up = b > a;
  const r = ratio(a, b);
  // The size of one batch of work (records per poll, a prefetch, a chunk) raised severalfold:
  // each batch now takes that many times as long to finish, against whatever deadline sits on
  // finishing it (a poll interval, a visibility timeout, a lease), which holds while batches
  // are small and breaks when a backlog fills them.
  if ((cls === 'capacity' || cls === 'ambiguous') && up && factor !== null && factor >= BATCH_GROWTH && batchSize(key)) {
    return { risky: true, kind: 'batch_grown', direction: 'increased', detail: `${label} raised ${change}${r}: each batch carries that much more work and takes that much longer to finish`, factor, category: cls };
  }
  // The piece one call carries (ids per call, a batch, a page, a media segment) cut severalfold:
  // the same work now takes that many times the calls, writes or objects, each with its fixed
  // cost at whatever serves them, which holds off-peak and runs out of room at the peak.
  if ((cls === 'capacity' || cls === 'ambiguous') && !up && factor !== null && factor >= PIECE_SHRINK && b > 0 && pieceSize(key, parents)) {
    return { risky: true, kind: 'batch_shrunk', direction: 'decreased', detail: `${label} cut ${change}${r}: the same work now takes that many times the calls`, factor, category: cls };
  }
  // A keepalive's interval (a websocket ping, a heartbeat) lengthened: the connection now sits
  // silent that much longer between words, and any idle timeout on the way that is shorter (a
  // load balancer's 60 s, a NAT's) cuts it. Each cut is a reconnect, with whatever a reconnect
  // costs the services behind it; busy connections never notice, idle ones all do.
  if (up && factor !== null && factor >= KEEPALIVE_GROWTH && keepaliveInterval(key, parents)) {
    return {
      risky: true,
      kind: 'delay_lengthened',
      direction: 'lengthened',
      detail: `${label} lengthened ${change}${r}: an idle connection now stays silent that long, and any idle timeout on its way that is shorter cuts it`,
      factor,
      category: cls,
    };
  }
  // The interval of a heavy job (a full snapshot, an export, a rebuild) cut tenfold or more: the
  // whole job now runs that many times as often, each run with its full cost (the bytes every
  // client downloads, the table every run scans), which a quiet hour absorbs and a busy one not.
  if (cls === 'ambiguous' && !up && factor !== null && factor >= HEAVY_JOB_MORE_OFTEN && b > 0 && heavyJobInterval(key, parents)) {
    return { risky: true, kind: 'work_more_often', direction: 'decreased', detail: `${label} cut ${change}${r}: the whole job it paces now runs that many times as often`, factor, category: cls };
  }
  // Memory each thread, worker or connection takes, raised: the process's total is that times
  // their number, inside a container limit that did not move. More room for one is less for all.
  if (cls === 'capacity' && up && memoryPerUnit(key)) {
    return { risky: true, kind: 'memory_use_raised', direction: 'increased', detail: `${label} raised ${change}${r}: each one now takes more memory, and the total grows with their number`, factor, category: cls };
  }
  // A window that gathered updates into one send (a conflation or linger window, a debounce)
  // set to zero: gathering is off, and every update goes out on its own. At a quiet hour that
  // is a few more sends; at peak, as many sends as updates, a multiple of the work.
  if (!up && b === 0 && a > 0 && gatheringWindow(key, parents)) {
    return { risky: true, kind: 'batch_shrunk', direction: 'decreased', detail: `${label} cut ${change}: the window that gathered updates into one send is gone, so every update now goes out on its own`, factor: null, category: cls };
  }
  // What an autoscaler waits for before it adds a replica (a lag threshold, a target value),
  // raised severalfold: it adds capacity only once the load is that much higher, which the
  // quiet hours never show and the peak does.
  if ((cls === 'capacity' || cls === 'ambiguous') && up && factor !== null && factor >= SCALING_TRIGGER_GROWTH && scalingTrigger(key, parents)) {
    return { risky: true, kind: 'scaling_delayed', direction: 'increased', detail: `autoscaling ${label} raised ${change}${r}: replicas are added only once the load is that much higher`, factor, category: cls };
  }
  switch (cls) {
    case 'capacity':
      return { risky: !up, kind: 'limit_changed', direction: up ? 'loosened' : 'tightened', detail: `${label} ${up ? 'loosened' : 'tightened'} ${change}${r}`, factor, category: cls };
    case 'time_limit':
      // A delay every event waits out (a debounce, a hold, a linger) is no limit: longer is later, every time.
      if (codeWords(key).some((w) => DELAY_WORDS.has(w))) {
        return up
          ? { risky: true, kind: 'delay_lengthened', direction: 'lengthened', detail: `${label} lengthened ${change}${r}: every event it holds waits that much longer`, factor, category: cls }
          : { risky: false, kind: 'setting_changed', direction: 'shortened', detail: `${label} shortened ${change}${r}`, factor, category: cls };
      }
      return {
        risky: !up,
        kind: 'limit_changed',
        direction: up ? 'loosened' : 'tightened',
        detail: `${label} ${up ? 'loosened' : 'tightened'} ${change}${r} (${up ? 'longer' : 'shorter'})`,
        factor,
        category: cls,
      };
    case 'ttl':
      // Lengthened by orders of magnitude (fifteen minutes to twenty-five months, a unit slip):
      // what it holds no longer expires within anything the service was built for, and piles up.
      if (up && factor !== null && factor >= NEVER_EXPIRES_FACTOR) {
        return {
          risky: true,
          kind: 'unbounded_growth',
          direction: 'lengthened',
          detail: `${label} lengthened ${change}${r}: what it holds no longer expires in any time that matters, and piles up`,
          factor,
          category: cls,
        };
      }
      return { risky: !up, kind: up ? 'cache_ttl_lengthened' : 'cache_ttl_shortened', direction: up ? 'lengthened' : 'shortened', detail: `cache TTL ${label} ${up ? 'lengthened' : 'shortened'} ${change}${r}`, factor, category: cls };
    case 'retries':
      return { risky: up, kind: up ? 'retry_increased' : 'retry_decreased', direction: up ? 'increased' : 'decreased', detail: `retries ${label} ${up ? 'increased' : 'decreased'} ${change}`, factor, category: cls };
    case 'backoff':
      return {
        risky: !up,
        kind: up ? 'backoff_increased' : 'backoff_reduced',
        direction: up ? 'lengthened' : b === 0 ? 'removed' : 'shortened',
        detail: `backoff ${label} ${up ? 'lengthened' : b === 0 ? 'removed' : 'shortened'} ${change}${r}`,
        factor,
        category: cls,
      };
    case 'rollout':
      return {
        risky: up,
        kind: up ? 'flag_enabled' : 'flag_reduced',
        direction: up ? 'increased' : 'decreased',
        detail: up ? `feature flag rollout ${label} ${a === 0 ? 'turned on' : 'widened'} ${change}${/%/.test(fmt(n)) ? '' : '%'}` : `feature flag rollout ${label} reduced ${change}`,
        factor,
        category: cls,
      };
    case 'ambiguous':
      return { risky: false, kind: 'setting_changed', direction: up ? 'increased' : 'decreased', detail: `${label} changed ${change}${r}`, factor, category: cls };
  }
}

/** Blocks that record what the service did: its log, its traces, its audit trail. */
const RECORDING = new Set(['log', 'logs', 'logging', 'logger', 'loggers', 'audit', 'tracing', 'trace', 'traces']);
/** Words of a recording switch that change how the recording is done, or how much of it: a cost of its own. */
const RECORDING_COST = new Set(['sync', 'async', 'blocking', 'block', 'buffer', 'buffered', 'flush', 'level', 'verbose', 'debug', 'all', 'body', 'bodies', 'payload', 'payloads']);

/** A switch whose nearest block records what the service did, and whose own words say only what is recorded. */
function recordsOnly(own: readonly string[], parents: readonly string[]): boolean {
  const nearest = parents[parents.length - 1];
  return nearest !== undefined && has(codeWords(nearest), RECORDING) && !has(own, RECORDING_COST);
}

/** The verdict on a boolean flipped (or set where it was unset). */
function judgeBoolean(key: string, parents: readonly string[], o: SettingValue | null, n: SettingValue, path: string, label: string): Judgement | null {
  if (n.type !== 'boolean' || (o !== null && (o.type !== 'boolean' || o.value === n.value))) return null;
  const from = o === null ? 'unset' : fmt(o);
  const change = `${from} → ${fmt(n)}`;
  const { own } = wordsOf(key, parents);
  if (inFlagContext(key, parents, path) && !has(own, SAFETY)) {
    return n.value
      ? { risky: true, kind: 'flag_enabled', direction: 'enabled', detail: `feature flag ${label} turned on (${change})`, factor: null, category: 'flag' }
      : { risky: false, kind: 'flag_disabled', direction: 'disabled', detail: `feature flag ${label} turned off (${change})`, factor: null, category: 'flag' };
  }
  if (has(own, CACHE) && !n.value && !has(own, new Set(['disable', 'disabled', 'skip', 'bypass', 'no']))) {
    return { risky: true, kind: 'cache_removed', direction: 'disabled', detail: `caching switched off: ${label} ${change}`, factor: null, category: 'switch' };
  }
  // A switch inside a logging block (`log: idempotency_key: true`) says what is written down
  // about the work, not how the work is done: whatever its own words, it turns no mechanism.
  // Except one that says how the writing is done or how much of it (async, a level, debug).
  if (has(own, SWITCH) && !recordsOnly(own, parents)) return { risky: true, kind: 'switch_flipped', direction: n.value ? 'enabled' : 'disabled', detail: `${label} flipped ${change}`, factor: null, category: 'switch' };
  return { risky: false, kind: 'setting_changed', direction: 'flipped', detail: `${label} changed ${change}`, factor: null, category: 'switch' };
}

/** A key that says which entries a store may drop when its memory is full (`maxmemory-policy`, `eviction_policy`). */
export function evictionPolicy(key: string): boolean {
  const words = codeWords(key);
  return words.some((w) => w === 'eviction' || w === 'evict') || (words.includes('policy') && words.some((w) => w.endsWith('memory')));
}

/** A policy's value as text, lower-cased: `allkeys-lru`, `volatile-ttl`, `noeviction`. */
const textOf = (value: SettingValue): string => (value.type === 'name' ? value.name : value.text).replace(/^["']|["']$/g, '').toLowerCase();

/**
 * Eviction narrowed: from every entry to those with an expiry (`allkeys-*` → `volatile-*`), or
 * to none (`noeviction`). What is written without an expiry then stays; memory climbs until it
 * is full, and from then writes are refused or the entries with an expiry are all that go.
 */
function judgeEviction(label: string, o: SettingValue, n: SettingValue): Judgement | null {
  const [before, after] = [textOf(o), textOf(n)];
  const narrowed = (/^allkeys[-_]/.test(before) && (/^volatile[-_]/.test(after) || after === 'noeviction')) || (before !== 'noeviction' && before !== '' && after === 'noeviction');
  if (!narrowed) return null;
  return {
    risky: true,
    kind: 'unbounded_growth',
    direction: 'tightened',
    detail: `${label} ${before} → ${after}: ${after === 'noeviction' ? 'nothing is evicted any more' : 'only entries with an expiry can be evicted now'}, so what is written without one stays until memory is full, and then writes are refused`,
    factor: null,
    category: 'capacity',
  };
}

/** The verdict on a setting whose value changed; null when it is not a setting this reads. */
export function judgeEdit(key: string, parents: readonly string[], o: SettingValue, n: SettingValue, path: string, label = key): Judgement | null {
  if (evictionPolicy(key) && o.type !== 'number' && n.type !== 'number') return judgeEviction(label, o, n);
  if (o.type !== 'number' && n.type !== 'number') {
    const sized = judgeInstanceSize(label, o, n) ?? judgeStorageClass(key, label, o, n);
    if (sized !== null) return sized;
  }
  if (o.type === 'boolean' || n.type === 'boolean') return judgeBoolean(key, parents, o, n, path, label);
  // A piece size is read whatever else its words say (a segment's target length is a duration, not a timeout).
  const cls = classifyKey(key, parents, n.type === 'number' ? n : o, path) ?? (pieceSize(key, parents) && !has(codeWords(key), NOT_A_LIMIT) ? 'ambiguous' : null);
  if (cls === null) return null;
  return judgeNumber(cls, key, parents, label, o, n);
}

/** The verdict on a boolean switch set on a line that did not set it before. */
export function judgeAddedSwitch(key: string, parents: readonly string[], n: SettingValue, path: string, label = key): Judgement | null {
  const verdict = judgeBoolean(key, parents, null, n, path, label);
  return verdict && verdict.kind !== 'setting_changed' ? verdict : null;
}
