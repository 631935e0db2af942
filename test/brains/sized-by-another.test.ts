// A unit holding more of what another change's setting sizes is that setting at work. The
// evening before, a config raised the consumer's `max-poll-records` from 500 to 5000; the
// polls stayed small overnight, as little waited. In the morning a routine release restarted
// the consumer, and as it caught up on what queued during the restart each poll came back
// fuller (records per poll 170 → 450). That step is the raised cap being used, not the release
// making each unit of work heavier, and the release is not credited with it.
import { describe, expect, it } from 'vitest';
import { saidOf, syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-10-06T04:00:00Z';

const run = syntheticRunner('sized-by-another', { start: START, minutes: 240, stepSeconds: 60 });

function series(): SeriesSpec[] {
  return [
    { metric: 'kafka_consumer_records_per_poll_max', service: 'renderer', level: 170, noise: 0.04, shifts: [{ at: 121, to: 450 }, { at: 170, to: 5000 }] },
    { metric: 'kafka_consumer_records_consumed_per_second', service: 'renderer', level: 40, noise: 0.04 },
    { metric: 'kafka_consumergroup_lag', service: 'renderer', level: 200, noise: 0.05, shifts: [{ at: 172, to: 60_000 }] },
    { metric: 'process_cpu_usage_ratio', service: 'renderer', level: 0.3, noise: 0.04, shifts: [{ at: 172, to: 0.9 }] },
    { metric: 'result_age_seconds', service: 'notifier', level: 40, noise: 0.05, shifts: [{ at: 175, to: 1800 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-renderer-poll',
    service: 'renderer',
    type: 'config',
    at: 10,
    summary: 'renderer: larger polls for the overnight backfill',
    diff: patch('deploy/renderer/values-prod.yaml', ['      max-poll-records: 500'], ['      max-poll-records: 5000']).replace(
      '  // context above',
      '  spring.kafka.consumer:',
    ),
  },
  {
    id: 'rel-renderer-123',
    service: 'renderer',
    type: 'deploy',
    at: 120,
    summary: 'renderer 12.3.1: footer wording',
    diff: patch('src/main/kotlin/Footer.kt', ['    val text = "Results"'], ['    val text = "Your results"']),
  },
];

const logs: BundleSpec['logs'] = {
  renderer: [...every(0, 240, 1, 'info', 'report rendered'), ...every(172, 240, 1, 'warn', 'consumer poll timeout has expired; leaving group')].sort((a, b) => a.at - b.at),
  notifier: every(0, 240, 2, 'info', 'notification sent'),
};

const alert = { title: 'Result notification age above 15 minutes', service: 'notifier', at: 185 };

describe('each poll fuller after a restart, under a cap another change raised', () => {
  it('is the raised cap at work, not the restart making each unit heavier', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    const said = saidOf(r, 'rel-renderer-123');
    expect(said).not.toContain('each unit of work got heavier');
  });
});
