// A limit holds its level while the usage climbs to it. A broker's exporter gives the consumer
// group's lag per partition and, beside it, `kafka_consumergroup_lag_max`: the largest lag of
// any partition, which is that lag's own peak, not a ceiling. When one partition falls behind,
// both climb together; the lag did not reach a declared limit, and nothing is said as if it had.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-07-02T19:00:00Z';

const run = syntheticRunner('limit-climbed-with', { start: START, minutes: 150, stepSeconds: 30 });

function series(): SeriesSpec[] {
  return [
    ...[3, 7, 11].map((p): SeriesSpec => ({
      metric: 'kafka_consumergroup_lag',
      service: 'kafka',
      labels: { group: 'notify', topic: 'roster.changes', partition: String(p) },
      level: 3,
      noise: 0.2,
      ...(p === 7 ? { shifts: [{ at: 101, to: 40_000 }, { at: 110, to: 80_000 }] } : {}),
    })),
    { metric: 'kafka_consumergroup_lag_max', service: 'kafka', labels: { group: 'notify', topic: 'roster.changes' }, level: 6, noise: 0.2, shifts: [{ at: 101, to: 40_000 }, { at: 110, to: 80_000 }] },
    { metric: 'kafka_topic_partition_messages_in_per_second', service: 'kafka', labels: { topic: 'roster.changes', partition: '7' }, level: 10, noise: 0.05, shifts: [{ at: 100, to: 190 }] },
    { metric: 'notify_delivery_delay_seconds_p99', service: 'notify', level: 2, noise: 0.05, shifts: [{ at: 102, to: 600 }] },
    { metric: 'notify_messages_processed_per_second', service: 'notify', level: 120, noise: 0.03 },
    { metric: 'kafka_topic_partition_messages_in_per_second', service: 'kafka', labels: { topic: 'roster.changes', partition: '3' }, level: 10, noise: 0.05, shifts: [{ at: 100, to: 90 }] },
    { metric: 'roster_events_published_per_second', service: 'roster', labels: { topic: 'roster.changes' }, level: 55, noise: 0.03, shifts: [{ at: 100, to: 300 }] },
  ];
}

const changes: BundleSpec['changes'] = [{ id: 'deploy-notify-99', service: 'notify', type: 'deploy', at: 60, summary: 'notify 9.9: template wording' }];

const logs: BundleSpec['logs'] = { notify: every(0, 150, 1, 'info', 'notification delivered') };

const alert = { title: 'Notification delivery delay above 5 minutes', service: 'notify', at: 115 };

describe('a “limit” that climbed with the usage', () => {
  it('is the usage’s own peak, not a ceiling it reached', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    const said = r.toolCalls.filter((call) => call.name === 'note_hypothesis').map((call) => String(call.input['statement']));
    expect([...said, r.diagnosis?.root_cause.description ?? ''].join('\n')).not.toContain('at its limit');
  });
});
