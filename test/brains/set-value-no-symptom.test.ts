// A limit set is not a symptom felt. At minute 60 the grid operator's curtailment lowers the
// power limit the site collector reports for a plant, as it does every afternoon: a value
// someone set, worse-looking when it shrinks. At minute 78 the dispatcher's release changes
// how it signs its commands, and from minute 80 the plants reject them and the dispatcher's
// errors page. The lowered limit comes first and the two services name each other; it must
// not date the incident ahead of the release.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-06-09T16:00:00Z';

const run = syntheticRunner('set-value', { start: START, minutes: 120, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'plant_active_power_limit_mw', service: 'site-collector', labels: { plant: 'dry-lake' }, level: 50, noise: 0.002, shifts: [{ at: 60, to: 36 }] },
  { metric: 'collector_commands_received_per_second', service: 'site-collector', labels: { peer: 'dispatcher' }, level: 2, noise: 0.03 },
  { metric: 'dispatch_commands_rejected_per_second', service: 'dispatcher', labels: { peer: 'site-collector' }, level: 0.01, noise: 0.1, shifts: [{ at: 80, to: 1.8 }] },
  { metric: 'dispatch_commands_sent_per_second', service: 'dispatcher', labels: { peer: 'site-collector' }, level: 2, noise: 0.03 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-dispatch-212',
    service: 'dispatcher',
    type: 'deploy',
    at: 78,
    summary: 'dispatcher 2.12: sign commands with the new key id format',
    diff: patch('src/sign.rs', ['    let kid = key.id();'], ['    let kid = format!("{}:{}", key.region(), key.id());']),
  },
];

const logs: BundleSpec['logs'] = {
  dispatcher: [...every(0, 120, 1, 'info', 'command sent to site-collector'), ...every(80.2, 120, 0.5, 'error', 'command rejected by site-collector: unknown key id')],
};

const alert = { title: 'Dispatcher commands rejected', service: 'dispatcher', at: 90 };

describe('a limit someone set', () => {
  it('does not date the incident ahead of the release that broke it', async () => {
    const r = await run({ alert, series, changes, logs });
    const onset = r.diagnosis?.timeline.find((e) => e.event.startsWith('Onset:'));
    expect(Date.parse(onset?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(START) + 78 * 60_000);
  });
});
