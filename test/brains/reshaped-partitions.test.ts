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
