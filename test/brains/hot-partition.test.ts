// A producer's new record key sends nearly every message to one partition. At minute 20 the
// release changes the key; partition 3 takes the whole topic and the other five drop to a
// small share, well below the peaks they had before, which the morning lifts to a flat top. At
// minute 60 the brokers are restarted for kernel patching (no diff). At the morning peak
// partition 3's consumer falls behind and the alerts it feeds come late. The five cold partitions, flat below their old peaks, are not a
// ceiling the restart lowered: their sibling ran many times higher at the same time, so the
// brokers had the room.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('hot-partition', { start: '2040-08-26T01:00:00Z', minutes: 240 });

const partitions: SeriesSpec[] = [0, 1, 2, 3, 4, 5].map((p) => ({
  metric: 'kafka_topic_partition_messages_in_per_second',
  service: 'kafka',
  labels: { topic: 'glucose-readings', partition: String(p) },
  level: 30,
  noise: 0.01,
  // The night's share after the release, then the morning's, pinned flat at the small share a cold partition now gets.
  shifts: p === 3 ? [{ at: 21, to: 150 }, { at: 165, to: 420 }] : [{ at: 21, to: 3 }, { at: 165, to: 6 }],
}));

const series: SeriesSpec[] = [
  ...partitions,
  { metric: 'burrow_partition_lag', service: 'kafka', labels: { consumergroup: 'reading-evaluator', partition: '3' }, level: 20, noise: 0.2, shifts: [{ at: 172, to: 9000 }, { at: 190, to: 60000 }] },
  { metric: 'dispatch_alert_delay_seconds', service: 'alert-dispatch', labels: { quantile: '0.5' }, level: 1.4, noise: 0.1, shifts: [{ at: 175, to: 260 }] },
  { metric: 'dispatch_alerts_sent_per_second', service: 'alert-dispatch', level: 3, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-sg-3107',
    service: 'sync-gateway',
    type: 'deploy',
    at: 20,
    summary: 'sync-gateway 3.1.7: key readings by clinic for per-clinic ordering',
    diff: patch('internal/publish/readings.go', ['\tkey := []byte(r.DeviceID)'], ['\tkey := []byte(r.ClinicID)']),
  },
  { id: 'infra-882', service: 'kafka', type: 'infra', at: 60, summary: 'kafka-prod: rolling restart of brokers 1-3 for kernel patching' },
];

const logs: BundleSpec['logs'] = {
  'alert-dispatch': [...every(0, 240, 1, 'info', 'urgent_low delivered'), ...every(176, 240, 0.5, 'warn', 'urgent_low delivered late')],
  'reading-evaluator': [...every(0, 240, 1, 'info', 'evaluated batch'), ...every(173, 240, 1, 'warn', 'consumer falling behind partition=3')],
};

describe('one partition taking a whole topic', () => {
  it('does not make the flat share of the others a ceiling the brokers lost', async () => {
    const r = await run({ alert: { title: 'UrgentLowAlertDelayHigh', service: 'alert-dispatch', at: 190 }, series, changes, logs });
    expect(verdict(r).change_id).not.toBe('infra-882');
    const said = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(said).not.toContain('a ceiling it used to pass');
  });
});
