// A producer that changed how it keys its messages. It stays healthy; what changes is how its
// output spreads over the consumer's partitions: at its deploy, most partitions fall to nothing
// and a few rise severalfold, while the sum holds. The busiest partition's consumer falls
// behind and the consumer is paged. A crowd that raises every partition alike is demand, and
// says nothing about the producer.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('reshaped-partitions', { start: '2042-09-14T09:00:00Z', minutes: 240 });

const PARTITIONS = 8;
/** Per-partition rates from minute 120: reshaped (the sum held) or all up alike (demand). */
function partitions(reshaped: boolean): SeriesSpec[] {
  return Array.from({ length: PARTITIONS }, (_, p) => {
    const to = reshaped ? [190, 120, 30, 0, 0, 20, 0, 40][p] as number : 95;
    return { metric: 'records_consumed_per_second', service: 'ledger-builder', labels: { topic: 'shipment-events', partition: String(p) }, level: 50, noise: 0.04, shifts: [{ at: 120, to }] };
  });
}

const series = (reshaped: boolean): SeriesSpec[] => [
  ...partitions(reshaped),
  { metric: 'consumer_group_lag', service: 'ledger-builder', labels: { topic: 'shipment-events', partition: '0' }, level: 20, noise: 0.1, shifts: [{ at: 128, to: 40_000 }] },
  { metric: 'ledger_event_age_seconds', service: 'ledger-builder', level: 3, noise: 0.1, shifts: [{ at: 130, to: 900 }] },
  { metric: 'http_requests_per_second', service: 'edi-intake', level: 400, noise: 0.05, shifts: reshaped ? [] : [{ at: 118, to: 760 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'edi-intake', level: 0.08, noise: 0.05 },
];

const logs: BundleSpec['logs'] = {
  'edi-intake': [...every(0, 240, 0.5, 'info', 'Published 40 events to shipment-events'), ...every(0, 240, 30, 'warn', 'partner AB12 sent a duplicate interchange, skipped')],
  'ledger-builder': every(0, 240, 1, 'info', 'committed offsets for shipment-events'),
};

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-301',
    service: 'edi-intake',
    type: 'deploy',
    at: 118,
    summary: 'edi-intake 5.2.0: keep moves of one yard in order',
    diff: patch('src/publish/publisher.py', ['        producer.send(TOPIC, key=event.container_id, value=payload)'], ['        producer.send(TOPIC, key=event.yard_code, value=payload)']),
  },
  { id: 'cfg-44', service: 'ledger-builder', type: 'config', at: 60, summary: 'ledger-builder: log level debug → info' },
];

describe('a producer that changed how it keys its messages', () => {
  it('is the deploy, when the partitions it writes changed shape at its deploy while their sum held', async () => {
    const r = await run({ alert: { title: 'ledger events older than 10 minutes', service: 'ledger-builder', at: 140 }, series: series(true), changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'edi-intake', change_id: 'deploy-301' });
  });

  it('is not blamed when every partition rose alike with a crowd', async () => {
    const r = await run({ alert: { title: 'ledger events older than 10 minutes', service: 'ledger-builder', at: 140 }, series: series(false), changes, logs });
    expect(verdict(r).change_id).not.toBe('deploy-301');
  });
});

// The same rekeying at night: the new key sends nearly everything to one partition, which
// keeps up while the night is quiet. Only when the morning's traffic grows past what one
// consumer takes does that partition fall behind, hours after the deploy; the consumer's own
// release just before is the decoy. The producer's logs never name the topic: its diff does.
const NIGHT = { start: '2042-09-15T01:00:00Z', minutes: 360 };
const night = syntheticRunner('rekeyed-at-night', NIGHT);

function nightSeries(): SeriesSpec[] {
  const parts = Array.from({ length: PARTITIONS }, (_, p): SeriesSpec => {
    const hot = p === 3;
    // From minute 40 partition 3 takes what the other seven lost; from minute 200 the morning grows.
    return { metric: 'topic_partition_messages_in_per_second', service: 'broker', labels: { topic: 'meter-readings', partition: String(p) }, level: 50, noise: 0.04, shifts: [{ at: 40, to: hot ? 330 : 10 }], slope: hot ? 1.6 : 0.05, slopeFrom: 200 };
  });
  const lags = Array.from({ length: PARTITIONS }, (_, p): SeriesSpec => ({
    metric: 'consumer_group_lag_messages', service: 'broker', labels: { topic: 'meter-readings', partition: String(p), consumergroup: 'usage-rater' }, level: 15, noise: 0.2,
    ...(p === 3 ? { slope: 400, slopeFrom: 300 } : {}),
  }));
  return [
    ...parts,
    ...lags,
    { metric: 'rated_usage_delay_seconds', service: 'usage-rater', level: 2, noise: 0.1, shifts: [{ at: 300, to: 40 }, { at: 310, to: 400 }] },
    { metric: 'http_requests_per_second', service: 'meter-intake', level: 400, noise: 0.04, slope: 1.9, slopeFrom: 200 },
    { metric: 'http_request_duration_seconds_p99', service: 'meter-intake', level: 0.06, noise: 0.05 },
  ];
}

const nightLogs: BundleSpec['logs'] = {
  'meter-intake': [...every(0, 360, 0.5, 'info', 'accepted reading batch of 120'), ...every(0, 360, 40, 'warn', 'meter M-2281 clock ahead by 3s, corrected')],
  'usage-rater': every(0, 360, 1, 'info', 'rated 500 readings'),
};

const nightChanges = (keyDiff: boolean): BundleSpec['changes'] => [
  {
    id: 'deploy-7710',
    service: 'meter-intake',
    type: 'deploy',
    at: 40,
    summary: 'meter-intake 3.4.0: tariff zone on each reading',
    diff: keyDiff
      ? patch('src/main/kotlin/intake/ReadingPublisher.kt', ['        val record = ProducerRecord(topic, r.meterId, codec.encode(r))'], ['        val key = r.tariffZone ?: ""', '        val record = ProducerRecord(topic, key, codec.encode(r))'])
      : patch('src/main/kotlin/intake/Reading.kt', ['    val kwh: Double,'], ['    val kwh: Double,', '    val tariffZone: String?,']),
  },
  {
    id: 'deploy-512',
    service: 'usage-rater',
    type: 'deploy',
    at: 290,
    summary: 'usage-rater 2.9.1: log rating rule ids at debug',
    diff: patch('rater/rules.py', ['    log.debug("rated %s", reading.id)'], ['    log.debug("rated %s with %s", reading.id, rule.id)']),
  },
];

describe('a producer rekeyed at night, harming at the morning peak', () => {
  const alert = { title: 'usage rating delayed', service: 'usage-rater', at: 320 };

  it('is the deploy that changed the key: the partitions changed shape as it rolled out, and the one it fed began to fall behind alone', async () => {
    const r = await night({ alert, series: nightSeries(), changes: nightChanges(true), logs: nightLogs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'meter-intake', change_id: 'deploy-7710' });
  });

  it('is not that deploy when its diff never touches the key, however the partitions moved', async () => {
    const r = await night({ alert, series: nightSeries(), changes: nightChanges(false), logs: nightLogs });
    expect(verdict(r).change_id).not.toBe('deploy-7710');
  });
});

// Only the three busiest partitions exported, and the sum not held among them: with the
// producer's diff changing its key, one partition rising threefold at its deploy while the
// other two held is the key at work. Without the key change, the same rates name nothing.
describe('a rekeyed producer whose partitions are exported only in part', () => {
  const few = (): SeriesSpec[] => [
    ...['3', '7', '19'].map((p) => ({
      metric: 'kafka_topic_partition_messages_in_per_second',
      service: 'kafka',
      labels: { topic: 'device-events', partition: p },
      level: 100,
      noise: 0.03,
      shifts: [{ at: 120, to: p === '7' ? 330 : 95 }],
    })),
    { metric: 'kafka_consumergroup_lag', service: 'automation-engine', labels: { topic: 'device-events', partition: '7' }, level: 30, noise: 0.1, shifts: [{ at: 150, to: 300_000 }] },
    { metric: 'kafka_consumergroup_lag', service: 'automation-engine', labels: { topic: 'device-events', partition: '3' }, level: 30, noise: 0.1 },
    { metric: 'automation_trigger_delay_seconds', service: 'automation-engine', labels: { quantile: '0.95' }, level: 2, noise: 0.1, shifts: [{ at: 151, to: 90 }] },
    { metric: 'telemetry_router_events_in_per_second', service: 'telemetry-router', level: 1200, noise: 0.03 },
  ];
  const spec = (diff: string): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'automation trigger delay high', service: 'automation-engine', at: 165 },
    series: few(),
    changes: [
      { id: 'deploy-5531', service: 'telemetry-router', type: 'deploy', at: 118, summary: 'telemetry-router: envelope v2', diff },
      { id: 'deploy-5528', service: 'automation-engine', type: 'deploy', at: 100, summary: 'automation-engine: rule cache metrics' },
    ],
    logs: { 'automation-engine': [...every(0, 240, 1, 'info', 'rules evaluated'), ...every(152, 240, 1, 'warn', 'consumer falling behind on device-events-7')], 'telemetry-router': every(0, 240, 1, 'info', 'routed batch') },
  });

  it('is the deploy that changed the key', async () => {
    const rekeyed = patch('internal/route/publish.go', ['\t\tKey:   []byte(ev.DeviceID),'], ['\t\tKey:   []byte(env.RoutingKey()),']);
    expect(verdict(await run(spec(rekeyed)))).toEqual({ category: 'deploy', service: 'telemetry-router', change_id: 'deploy-5531' });
  });

  it('is not that deploy when its diff leaves the key alone', async () => {
    const other = patch('internal/route/publish.go', ['\t\tValue: payload,'], ['\t\tValue: payload,', '\t\tHeaders: hdrs,']);
    expect(verdict(await run(spec(other))).change_id).not.toBe('deploy-5531');
  });
});
