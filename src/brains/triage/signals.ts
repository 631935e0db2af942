// What a metric measures, read from its name and labels the way an SRE reads a
// dashboard: latency, errors, saturation, traffic, availability. Only Prometheus naming
// conventions are used (spec/bundle.md, "Metrics"), never a particular bundle's names.
import type { SeriesInfo } from './read.js';

export type SignalKind = 'latency' | 'errors' | 'saturation' | 'availability' | 'traffic' | 'other';

const LATENCY = /(latency|duration|response_time|_p\d{2,3}(_|$)|_lag(_|$)|wait_time|wait_seconds|rtt|lcp|ttfb)/;
const ERRORS =
  /(error|errors|_5xx|5xx_|(^|_)5\d\d(_|$)|fail|failure|failures|exception|timeout|timeouts|timedout|rejected|dropped|panic|crash|restarts|oom|shed|cancel|cancelled|canceled|fallback|denied|refused|unavailable|destroy|reset)/;
const AVAILABILITY = /((^|_)up$|ready|healthy|available|avail|free|remaining|success_ratio|hit_ratio|apdex)/;
const SATURATION =
  /(cpu|memory|mem_|_mem|heap|gc_|pool|queue|backlog|saturation|utili[sz]ation|usage|disk|inode|_fd|file_descriptors|connections|conns|clients|sessions|activity|active|inflight|in_flight|pending|waiting|wait|threads|goroutines|load|throttl|swap|evictions?)/;
/** Demand arriving at a service: its rate is load, even where the name also says `queue` (enqueued). */
const ARRIVALS = /(enqueue|arrival|arrived|submitted|incoming|received|_requests?_total$)/;
const TRAFFIC = /(requests?|per_second|_rate$|_rps|_qps|throughput|calls|_ops|ops_total|traffic|_total$|attempts|commands_processed|queries)/;
const STATUS_KEYS = ['status', 'code', 'status_code', 'outcome', 'result', 'state'];
const BAD_STATUS = /^(5\d\d|5xx|error|errors|fail|failed|failure|timeout|timed_out|rejected|cancelled|canceled|dropped|shed)$/i;

/** Which golden signal a series measures. */
export function signalOf(series: Pick<SeriesInfo, 'name' | 'labels'>): SignalKind {
  const name = series.name.toLowerCase();
  const badStatus = STATUS_KEYS.some((key) => BAD_STATUS.test(series.labels[key] ?? ''));
  // A histogram bucket counts requests that finished under a bound: its rate is completed work,
  // neither latency nor demand (slower requests move from low buckets to high ones).
  if ('le' in series.labels) return 'other';
  if ('quantile' in series.labels || LATENCY.test(name)) return 'latency';
  if (badStatus || ERRORS.test(name)) return 'errors';
  if (AVAILABILITY.test(name)) return 'availability';
  if (ARRIVALS.test(name)) return 'traffic';
  if (SATURATION.test(name)) return 'saturation';
  if (TRAFFIC.test(name)) return 'traffic';
  return 'other';
}

/** Whether a series counts work arriving at its service (demand), not work it sends on (calls, queries). */
export function isArrivals(series: Pick<SeriesInfo, 'name' | 'labels'>): boolean {
  return signalOf(series) === 'traffic' && /(enqueue|arrival|arrived|submitted|incoming|received|requests?)/.test(series.name.toLowerCase());
}

/** Work done per unit of demand: per request, per call, per message... A load surge leaves it flat; a change in what each request does moves it. */
const PER_UNIT = /_per_(request|req|call|query|op|operation|message|msg|event|job|batch|txn|transaction|page|item|order|cart|session|user|row|record)s?(_|$)/;

export function isPerUnit(series: Pick<SeriesInfo, 'name'>): boolean {
  return PER_UNIT.test(series.name.toLowerCase());
}

/** Work waiting to be done (consumer lag, queue depth, the age of the newest event seen): it drains only as fast as it is worked off. */
const BACKLOG = /(lag|backlog|queue|depth|pending|behind|outstanding|unprocessed|age_seconds|_age$|staleness)/;

export function isBacklog(series: Pick<SeriesInfo, 'name'>): boolean {
  return BACKLOG.test(series.name.toLowerCase());
}

/**
 * What a leak fills: memory, file descriptors, connections, clients, threads, subscriptions
 * in use (not a limit, a request or a capacity that only states the ceiling).
 */
const MEMORY =
  /(mem|heap|rss|resident|working_set|alloc|inuse|in_use|open_fds|file_descriptors|_fds?(_|$)|connections|conns|connected_clients|clients|sockets|goroutines|threads|handles|subscriptions|pubsub|channels)/;
const CEILING = /(limit|max|capacity|request|quota|total_bytes$|size_bytes$)/;

export function isMemory(series: Pick<SeriesInfo, 'name' | 'labels'>): boolean {
  const name = series.name.toLowerCase();
  return MEMORY.test(name) && !CEILING.test(name) && !('le' in series.labels);
}

/** The direction in which a signal going wrong moves; null when both can hurt (traffic). */
export function badDirection(kind: SignalKind): 'up' | 'down' | null {
  if (kind === 'latency' || kind === 'errors' || kind === 'saturation') return 'up';
  if (kind === 'availability') return 'down';
  return null;
}

/** Signals whose move in their bad direction is a symptom (traffic and unknown metrics are context). */
export function isSymptom(kind: SignalKind, direction: 'up' | 'down'): boolean {
  return badDirection(kind) === direction;
}

/** A human name for a signal kind, for messages. */
export function signalWord(kind: SignalKind): string {
  return kind === 'errors' ? 'error' : kind;
}
