// A build that ran twice. A release's migration makes a column required; for the minutes its
// rollout takes, the old build's pods fail their inserts, then they are gone. Hours later the
// release is rolled back to the old build, which still writes no such column, and every insert
// fails. The old build's series (split by `version`) shows both runs with nothing between: the
// minutes of the first run are another episode, and the incident starts with the rollback.
import { describe, expect, it } from 'vitest';
import { latestRun } from '../../src/brains/triage/opening.js';
import { statedOnset, syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('build-ran-twice', { start: '2042-12-04T20:00:00Z', minutes: 240 });

const series: SeriesSpec[] = [
  { metric: 'pt_http_5xx_per_second', service: 'player-tracking', labels: { version: '5.2.7' }, level: 0.016, noise: 0.05, until: 40 },
  { metric: 'pt_http_5xx_per_second', service: 'player-tracking', labels: { version: '5.2.7' }, level: 0.12, noise: 0.05, from: 40, until: 44 },
  { metric: 'pt_http_5xx_per_second', service: 'player-tracking', labels: { version: '5.3.0' }, level: 0.017, noise: 0.05, from: 40, until: 182 },
  { metric: 'pt_http_5xx_per_second', service: 'player-tracking', labels: { version: '5.2.7' }, level: 0.28, noise: 0.05, from: 182 },
  { metric: 'pt_card_in_failed_per_minute', service: 'player-tracking', level: 0.05, noise: 0.1, shifts: [{ at: 182, to: 15 }] },
  { metric: 'pt_requests_per_second', service: 'player-tracking', level: 30, noise: 0.03 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-5301',
    service: 'player-tracking',
    type: 'deploy',
    at: 40,
    summary: 'player-tracking 5.3.0: record the machine asset number on rated sessions',
    diff: patch('db/migrate/0142_asset_number.sql', [], ['ALTER TABLE rated_sessions ADD COLUMN asset_number text NOT NULL;']),
  },
  { id: 'rb-5304', service: 'player-tracking', type: 'rollback', at: 182, summary: 'roll back player-tracking to 5.2.7', attributes: { reverts: 'deploy-5301' } },
];

const logs: BundleSpec['logs'] = {
  'player-tracking': [
    ...every(0, 240, 1, 'info', 'card-in accepted'),
    ...every(40.5, 43.5, 0.5, 'error', 'insert into rated_sessions failed: null value in column "asset_number" violates not-null constraint'),
    ...every(182.5, 240, 0.2, 'error', 'insert into rated_sessions failed: null value in column "asset_number" violates not-null constraint'),
  ],
};

describe('a build that ran twice', () => {
  it('reads its series from its latest run', () => {
    const values = [1, 1, 1, 1, ...Array<number | null>(20).fill(null), 5, 5, 5];
    expect(latestRun({ id: 's', service: null, start: 0, stepMs: 60_000, values }, Infinity)).toBe(24 * 60_000);
    expect(latestRun({ id: 's', service: null, start: 0, stepMs: 60_000, values: [1, 1, null, 1, 5, 5] }, Infinity)).toBeNull();
  });

  it('dates the incident from the rollback that brought it back, not from its minutes of failing during the first rollout', async () => {
    const r = await run({ alert: { title: 'player-tracking card-in failures', service: 'player-tracking', at: 188 }, series, changes, logs });
    expect(statedOnset(r)).toBe(Date.parse('2042-12-04T23:02:00Z'));
  });
});
