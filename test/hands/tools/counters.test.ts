import { describe, expect, it } from 'vitest';
import { detectCountChanges, countsRareEvents } from '../../../src/hands/analysis/count-changes.js';
import { counterIncrease, counterRate, rateWindow, seriesKind } from '../../../src/hands/analysis/counters.js';
import { directionMeaning, meaningFields, seriesMeaning } from '../../../src/hands/analysis/series-meaning.js';
import { MINUTE, rng, T0 } from './helpers/random.js';

/** Cumulative samples every minute from per-minute increments. */
function cumulative(increments: readonly number[], start = 1000): Array<{ t: number; v: number | null }> {
  let total = start;
  return increments.map((inc, i) => {
    total += inc;
    return { t: T0 + i * MINUTE, v: total };
  });
}

describe('seriesKind', () => {
  const climbing = cumulative(Array.from({ length: 60 }, (_, i) => 100 + (i % 7)));

  it('reads the Prometheus counter suffixes as counters', () => {
    for (const name of ['http_requests_total', 'rpc_duration_seconds_count', 'rpc_duration_seconds_sum', 'rpc_duration_seconds_bucket']) {
      expect(seriesKind(name, climbing)).toEqual({ kind: 'counter', because: 'name' });
    }
  });

  it('reads values that only climb (resets aside) as a counter, when the name does not call them a level', () => {
    const withReset = [...climbing.slice(0, 30), ...cumulative(Array.from({ length: 30 }, () => 90), 0).map((s, i) => ({ t: T0 + (30 + i) * MINUTE, v: s.v }))];
    expect(seriesKind('orders_placed', withReset)).toEqual({ kind: 'counter', because: 'values' });
    // An age or a byte count that happens to climb is a gauge whose climb is the news.
    expect(seriesKind('model_age_seconds', climbing).kind).toBe('gauge');
    expect(seriesKind('wal_retained_bytes', climbing).kind).toBe('gauge');
  });

  it('keeps gauges apart: a misnamed _count that goes up and down, a replica count raised twice', () => {
    const random = rng(3);
    const wobbling = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * MINUTE, v: 50 + Math.round(10 * random()) }));
    expect(seriesKind('pg_stat_activity_count', wobbling).kind).toBe('gauge');
    const stepped = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * MINUTE, v: i < 20 ? 12 : i < 40 ? 20 : 30 }));
    expect(seriesKind('deployment_pods', stepped).kind).toBe('gauge');
  });
});

describe('counterRate', () => {
  it('is the increase per second, with a reset read as a restart from zero and gaps kept', () => {
    const samples = [
      { t: T0, v: 100 },
      { t: T0 + MINUTE, v: 160 },
      { t: T0 + 2 * MINUTE, v: null },
      { t: T0 + 3 * MINUTE, v: 280 },
      { t: T0 + 4 * MINUTE, v: 30 },
    ];
    expect(counterRate(samples)).toEqual([
      { t: T0, v: null },
      { t: T0 + MINUTE, v: 1 },
      { t: T0 + 2 * MINUTE, v: null },
      { t: T0 + 3 * MINUTE, v: 1 },
      { t: T0 + 4 * MINUTE, v: 0.5 },
    ]);
    expect(counterIncrease(samples)).toBe(210);
  });

  it('widens the window for a counter of rare events, and averages over it', () => {
    const increments = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const samples = cumulative(increments, 0);
    const window = rateWindow(samples);
    expect(window).toBe(20 * MINUTE);
    const rates = counterRate(samples, window).map((s) => s.v);
    // Two events in every 20 minutes once the window is full.
    expect(rates.slice(30).every((v) => v !== null && Math.abs(v - 2 / 1200) < 1e-9)).toBe(true);
    expect(rateWindow(cumulative(Array.from({ length: 100 }, () => 5)))).toBe(MINUTE);
  });
});

describe('detectCountChanges', () => {
  it('places the onset of restarts at the first one after a quiet stretch, and sees them stop', () => {
    const increments = Array.from({ length: 300 }, (_, i) => (i >= 150 && i < 200 && i % 6 === 0 ? 1 : 0));
    const samples = cumulative(increments, 0);
    expect(countsRareEvents(samples)).toBe(true);
    const changes = detectCountChanges(samples).filter((c) => c.significant);
    expect(changes.map((c) => c.direction)).toEqual(['up', 'down']);
    expect(changes[0]?.onset).toBe(T0 + 150 * MINUTE);
    expect(changes[0]?.before).toBe(0);
    expect(changes[0]?.after).toBeGreaterThan(0);
  });

  it('finds nothing in events that come at a steady rate', () => {
    const random = rng(11);
    const samples = cumulative(Array.from({ length: 300 }, () => (random() < 0.1 ? 1 : 0)), 0);
    expect(detectCountChanges(samples).filter((c) => c.significant)).toEqual([]);
  });
});

describe('seriesMeaning', () => {
  const refinements = { perUnit: false, canLeak: false, backlog: false, arrivals: false, hitShare: false, missShare: false, deviation: false };

  it.each([
    ['http_request_duration_seconds', { quantile: '0.99' }, 'latency', 'up'],
    ['checkout_p99_ms', {}, 'latency', 'up'],
    ['jvm_gc_pause_seconds_max', {}, 'latency', 'up'],
    ['http_server_errors_total', {}, 'errors', 'up'],
    ['http_requests_total', { code: '503' }, 'errors', 'up'],
    ['http_requests_per_second', { status: '5xx' }, 'errors', 'up'],
    ['gateway_504_ratio', {}, 'errors', 'up'],
    ['kube_pod_container_status_restarts_total', {}, 'errors', 'up'],
    // A consumer group rebalancing is consumers dropping out, not more work arriving.
    ['kafka_consumer_rebalances_total', {}, 'errors', 'up'],
    ['search_es_rejections_total', {}, 'errors', 'up'],
    ['container_cpu_utilisation_ratio', {}, 'saturation', 'up'],
    ['container_cpu_usage_ratio', {}, 'saturation', 'up'],
    ['worker_queue_depth', {}, 'saturation', 'up'],
    ['node_load1', {}, 'saturation', 'up'],
    ['pg_up', {}, 'availability', 'down'],
    ['cache_hit_ratio', {}, 'availability', 'down'],
    ['node_filesystem_avail_bytes', {}, 'availability', 'down'],
    ['http_requests_per_second', {}, 'traffic', null],
    ['http_requests_total', { code: '200' }, 'traffic', null],
    ['search_requests_per_second', {}, 'traffic', null],
    // A limit is not its use: a ceiling that shrinks is worse, and it is no saturation.
    ['hikaricp_connections_max', {}, 'other', 'down'],
    ['container_spec_memory_limit_bytes', {}, 'other', 'down'],
    // Work per unit of demand: neither traffic nor a golden signal, worse when it grows.
    ['db_queries_per_request', {}, 'other', 'up'],
    // Words inside other words are not those words: published is not shed, reload is not load.
    ['events_published_total', {}, 'traffic', null],
    // Names no golden signal names still say which way is worse, when their words do.
    ['indexer_staleness', {}, 'other', 'up'],
    ['checkout_completed_per_minute', {}, 'other', 'down'],
    ['kube_deployment_spec_replicas', {}, 'other', 'down'],
    ['mystery_gauge', {}, 'other', null],
    // A point in time or a label carrier is no level that degrades.
    ['build_info', {}, 'other', null],
    ['certificate_expiration_timestamp_seconds', {}, 'other', null],
    ['nginx_config_last_reload_successful_timestamp_seconds', {}, 'other', null],
  ] as const)('%s %j measures %s, worse when %s', (name, labels, measures, worse) => {
    expect(seriesMeaning(name, labels)).toMatchObject({ measures, worseWhen: worse });
  });

  it('says what a reader needs beyond the signal: per-unit work, a resource a leak fills, a backlog, arrivals', () => {
    expect(seriesMeaning('django_db_queries_per_request')).toEqual({ measures: 'other', worseWhen: 'up', ...refinements, perUnit: true });
    // A size read at a percentile is how big one unit of work is, not a latency.
    expect(seriesMeaning('ingest_output_frame_bytes_p50')).toMatchObject({ measures: 'other', worseWhen: 'up', perUnit: true });
    expect(seriesMeaning('http_response_size_bytes', { quantile: '0.99' })).toMatchObject({ measures: 'other', perUnit: true });
    expect(seriesMeaning('http_request_duration_seconds_p99')).toMatchObject({ measures: 'latency', perUnit: false });
    expect(seriesMeaning('process_resident_memory_bytes')).toMatchObject({ measures: 'saturation', canLeak: true });
    expect(seriesMeaning('process_open_fds')).toMatchObject({ canLeak: true });
    // Connections a pool has handed out and not had back: what a connection leak fills.
    expect(seriesMeaning('sqlalchemy_pool_checkedout')).toMatchObject({ measures: 'saturation', canLeak: true });
    expect(seriesMeaning('db_pool_checked_out_connections')).toMatchObject({ canLeak: true });
    // A flow of what a leak would hold is load, not a level held.
    expect(seriesMeaning('ntrip_connections_accepted_per_second')).toMatchObject({ canLeak: false });
    expect(seriesMeaning('tcp_connections_opened_total')).toMatchObject({ canLeak: false });
    // A pool's size named as a total is no count of work done: not traffic.
    expect(seriesMeaning('gunicorn_workers_total')).toMatchObject({ measures: 'other', worseWhen: 'down' });
    expect(seriesMeaning('http_requests_total')).toMatchObject({ measures: 'traffic' });
    expect(seriesMeaning('r2dbc_pool_borrowed')).toMatchObject({ canLeak: true });
    // The disk a process writes to fills as its logs or files pile up; its limit does not leak.
    expect(seriesMeaning('kubelet_pod_ephemeral_storage_used_bytes')).toMatchObject({ canLeak: true });
    expect(seriesMeaning('node_filesystem_usage_bytes')).toMatchObject({ canLeak: true });
    expect(seriesMeaning('kube_pod_container_resource_limits_ephemeral_storage_bytes')).toMatchObject({ canLeak: false });
    // Use as a share of its limit is use, worse as it grows; the limit itself is worse as it shrinks.
    expect(seriesMeaning('container_cpu_usage_ratio_of_limit')).toMatchObject({ measures: 'saturation', worseWhen: 'up' });
    expect(seriesMeaning('container_memory_usage_ratio_to_limit')).toMatchObject({ measures: 'saturation', worseWhen: 'up' });
    expect(seriesMeaning('container_spec_memory_limit_bytes')).toMatchObject({ measures: 'other', worseWhen: 'down' });
    // The limit on a resource does not leak.
    expect(seriesMeaning('process_max_fds')).toMatchObject({ canLeak: false });
    expect(seriesMeaning('kafka_consumergroup_lag')).toMatchObject({ measures: 'latency', backlog: true });
    // Messages ready in a queue are waiting work, not a service that is ready.
    expect(seriesMeaning('rabbitmq_queue_messages_ready')).toMatchObject({ measures: 'saturation', worseWhen: 'up', backlog: true });
    expect(seriesMeaning('orders_enqueued_total')).toMatchObject({ measures: 'traffic', arrivals: true });
    expect(seriesMeaning('http_requests_total')).toMatchObject({ measures: 'traffic', arrivals: true });
    // Calls a service makes are work it sends on, not demand on it.
    expect(seriesMeaning('upstream_calls_total')).toMatchObject({ measures: 'traffic', arrivals: false });
  });

  it('reads a cache\'s hit share from its words, not a rate of hits', () => {
    expect(seriesMeaning('cdn_cache_hit_ratio')).toMatchObject({ measures: 'availability', worseWhen: 'down', hitShare: true });
    expect(seriesMeaning('CacheHitRate')).toMatchObject({ hitShare: true });
    expect(seriesMeaning('proxy_hits_pct')).toMatchObject({ hitShare: true });
    expect(seriesMeaning('cache_hits_per_second')).toMatchObject({ hitShare: false });
    expect(seriesMeaning('cache_hits_total')).toMatchObject({ hitShare: false });
    expect(seriesMeaning('hit_ratio_bucket', { le: '0.5' })).toMatchObject({ hitShare: false });
    // A miss share is the same cache read from the other side.
    expect(seriesMeaning('gate_local_cache_miss_ratio')).toMatchObject({ missShare: true, hitShare: false });
    expect(seriesMeaning('cache_misses_per_second')).toMatchObject({ missShare: false });
  });

  it('reads declines as errors, a declined outcome as a bad status and an approval ratio as a success share', () => {
    expect(seriesMeaning('payment_declines_per_second')).toMatchObject({ measures: 'errors', worseWhen: 'up' });
    expect(seriesMeaning('payment_authorizations_per_second', { outcome: 'declined' })).toMatchObject({ measures: 'errors', worseWhen: 'up' });
    expect(seriesMeaning('payment_authorizations_per_second', { outcome: 'approved' })).toMatchObject({ measures: 'traffic' });
    expect(seriesMeaning('meter_card_approval_ratio')).toMatchObject({ worseWhen: 'down' });
    expect(seriesMeaning('break_underrun_seconds_per_minute')).toMatchObject({ worseWhen: 'up' });
    expect(seriesMeaning('video_rebuffer_events')).toMatchObject({ worseWhen: 'up' });
  });

  it('reads a clock offset, a skew or a drift as a deviation that is worse either way, not a paging offset', () => {
    expect(seriesMeaning('decoder_sample_clock_offset_seconds')).toMatchObject({ deviation: true });
    expect(seriesMeaning('node_timex_offset_seconds')).toMatchObject({ deviation: true });
    expect(seriesMeaning('ntp_clock_skew_ms')).toMatchObject({ deviation: true });
    expect(seriesMeaning('kafka_consumer_offset')).toMatchObject({ deviation: false });
    expect(meaningFields(seriesMeaning('clock_drift_seconds'))).toMatchObject({ deviation: true });
  });

  it('turns a direction into worse, better or load', () => {
    expect(directionMeaning(seriesMeaning('api_latency_p99_ms'), 'up')).toBe('worse');
    expect(directionMeaning(seriesMeaning('cache_hit_ratio'), 'up')).toBe('better');
    expect(directionMeaning(seriesMeaning('cache_hit_ratio'), 'down')).toBe('worse');
    expect(directionMeaning(seriesMeaning('http_requests_per_second'), 'up')).toBe('more load');
    expect(directionMeaning(seriesMeaning('mystery_gauge'), 'up')).toBeNull();
  });
});
