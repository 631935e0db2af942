// A setting that fails only under the conditions it meets later. A consumer's batch size goes
// up tenfold at dawn; nothing shows for an hour and a half, until the morning backlog fills
// every batch and the consumers overrun their poll interval. The errors that begin then name
// the setting that was raised: the edit is what fails, and the wait is the backlog's arrival.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('named-at-onset', { start: '2042-03-03T05:00:00Z', minutes: 240 });

const series: SeriesSpec[] = [
  { metric: 'notify_end_to_end_delay_seconds_p95', service: 'alerting', level: 30, noise: 0.05, shifts: [{ at: 170, to: 1100 }] },
  { metric: 'kafka_consumergroup_lag', service: 'normalizer', level: 400, noise: 0.1, shifts: [{ at: 165, to: 90_000 }] },
  { metric: 'records_committed_per_second', service: 'normalizer', level: 120, noise: 0.05, shifts: [{ at: 170, to: 15 }] },
  { metric: 'http_requests_per_second', service: 'intake', level: 80, noise: 0.05, shifts: [{ at: 150, to: 160 }] },
];

const logs = (named: boolean): BundleSpec['logs'] => ({
  normalizer: [
    ...every(0, 240, 1, 'info', 'batch committed'),
    ...every(170.2, 240, 0.5, 'warn', named
      ? 'CommitFailedException: the poll loop took longer than max.poll.interval.ms; reduce max.poll.records or raise the interval'
      : 'CommitFailedException: consumer left the group, rebalancing'),
  ],
  alerting: [...every(0, 240, 1, 'info', 'notification sent'), ...every(171, 240, 0.5, 'warn', 'result notification delayed')],
});

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-77',
    service: 'normalizer',
    type: 'config',
    at: 80,
    summary: 'normalizer consumer: bigger batches',
    diff: patch('deploy/normalizer/application.yaml', ['    max.poll.records: 200'], ['    max.poll.records: 2000']),
  },
  { id: 'deploy-12', service: 'alerting', type: 'deploy', at: 140, summary: 'alerting 2.4.1: template wording' },
];

describe('a batch size raised long before the morning backlog', () => {
  it('is the config change, when the errors that began with the incident name the setting it raised', async () => {
    const r = await run({ alert: { title: 'result notifications delayed', service: 'alerting', at: 180 }, series, changes, logs: logs(true) });
    expect(verdict(r)).toEqual({ category: 'config', service: 'normalizer', change_id: 'cfg-77' });
  });

  it('is not blamed on its timing and its edit alone, when the errors do not name it', async () => {
    const r = await run({ alert: { title: 'result notifications delayed', service: 'alerting', at: 180 }, series, changes, logs: logs(false) });
    expect(verdict(r).change_id).not.toBe('cfg-77');
  });
});
