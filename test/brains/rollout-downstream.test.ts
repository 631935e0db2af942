// A flag ramped on one service whose symptoms show only downstream. The scheduler turns a new
// plan generator on for 10% of missions at minute 100 and for 50% at minute 140; its own
// metrics stay flat (it builds plans as fast as ever), but the antenna gateway rejects the new
// plans, and its rejection ratio steps up at each stage. The staircase ties the flag to the
// symptoms; the gateway's own release at minute 125 is what the paged service's history offers.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('rollout-downstream', { start: '2036-12-08T07:00:00Z', minutes: 200 });

function series(steps: readonly [number, number]): SeriesSpec[] {
  return [
    { metric: 'plans_built_per_minute', service: 'scheduler', level: 40, noise: 0.05 },
    { metric: 'plan_build_duration_seconds_p95', service: 'scheduler', level: 0.8, noise: 0.05 },
    { metric: 'plans_received_per_minute', service: 'antenna-gw', level: 40, noise: 0.05 },
    { metric: 'plan_rejection_ratio', service: 'antenna-gw', level: 0.015, noise: 0.1, shifts: [{ at: steps[0], to: 0.07 }, { at: steps[1], to: 0.26 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  { id: 'ff-plan-v2-10', service: 'scheduler', type: 'feature_flag', at: 100, summary: 'plan-generator-v2: 0% -> 10% of missions', attributes: { flag: 'plan-generator-v2' } },
  {
    id: 'rel-gw-34',
    service: 'antenna-gw',
    type: 'deploy',
    at: 125,
    summary: 'antenna-gw 3.4.0: clearer rejection log line',
    diff: patch('gw/plan.go', ['\tlog.Warn("plan rejected")'], ['\tlog.Warn("plan rejected", "reason", reason)']),
  },
  { id: 'ff-plan-v2-50', service: 'scheduler', type: 'feature_flag', at: 140, summary: 'plan-generator-v2: 10% -> 50% of missions', attributes: { flag: 'plan-generator-v2' } },
];

const logs: BundleSpec['logs'] = {
  'antenna-gw': [...every(0, 200, 1, 'info', 'plan accepted'), ...every(100.5, 200, 2, 'warn', 'plan rejected')],
};

const alert = { title: 'plan rejections above 15%', service: 'antenna-gw', at: 150 };

describe('a rollout whose stages the symptoms followed downstream', () => {
  it('is named though its own service shows nothing', async () => {
    const r = await run({ alert, series: series([100, 140]), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('feature_flag');
    expect(['ff-plan-v2-10', 'ff-plan-v2-50']).toContain(r.diagnosis?.root_cause.change_id);
  });

  it('is not named when the steps came at other times than its stages', async () => {
    const r = await run({ alert, series: series([112, 128]), changes, logs });
    expect(['ff-plan-v2-10', 'ff-plan-v2-50']).not.toContain(r.diagnosis?.root_cause.change_id);
  });
});
