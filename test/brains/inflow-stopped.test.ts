// A party that stopped sending. The vessel tracker takes positions from a satellite provider
// and from the port's own antenna, counted apart by a `source` label. At minute 100 the
// provider's stream collapses while the antenna's holds: vessels beyond the antenna's range go
// stale and the berth planner, which needs their positions, pages. The tracker's own reconnect
// setting changed ten minutes before, the nearest change in time.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-06-03T09:00:00Z';

const run = syntheticRunner('inflow-stopped', { start: START, minutes: 160, stepSeconds: 60 });

/** With `antennaFell`, the antenna's count fell as much: the ships stopped reporting, not one party. */
function series(antennaFell: boolean): SeriesSpec[] {
  return [
    { metric: 'positions_received_per_second', service: 'vessel-tracker', labels: { source: 'skyfeed' }, level: 180, noise: 0.04, shifts: [{ at: 100, to: 1 }] },
    { metric: 'positions_received_per_second', service: 'vessel-tracker', labels: { source: 'harbour-antenna' }, level: 26, noise: 0.04, shifts: antennaFell ? [{ at: 100, to: 0.2 }] : [] },
    { metric: 'vessels_stale', service: 'vessel-tracker', level: 3, noise: 0.1, shifts: [{ at: 102, to: 140 }] },
    { metric: 'plan_runs_failed_per_minute', service: 'berth-planner', level: 0.01, noise: 0.1, shifts: [{ at: 105, to: 1 }] },
    { metric: 'plan_duration_seconds_p95', service: 'berth-planner', level: 12, noise: 0.05 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-tracker-reconnect',
    service: 'vessel-tracker',
    type: 'config',
    at: 90,
    summary: 'tracker: reconnect backoff 2s -> 5s',
    diff: patch('tracker/stream.yaml', ['  reconnect_backoff: 2s'], ['  reconnect_backoff: 5s']),
  },
  {
    id: 'rel-planner-44',
    service: 'berth-planner',
    type: 'deploy',
    at: 30,
    summary: 'berth-planner 4.4: crane gang names in the plan export',
    diff: patch('planner/export.py', ['    row["gang"] = gang.id'], ['    row["gang"] = gang.name']),
  },
];

const logs: BundleSpec['logs'] = {
  'vessel-tracker': [...every(0, 160, 1, 'info', 'stream stats ok'), ...every(101, 160, 2, 'warn', 'reconnect failed: 503 from upstream stream, retrying')],
  'berth-planner': [...every(0, 160, 5, 'info', 'plan run complete'), ...every(106, 160, 5, 'error', 'plan infeasible: vessel positions stale')],
};

const alert = { title: 'Berth plan runs failing', service: 'berth-planner', at: 120 };

describe('a party that stopped sending while the others held', () => {
  it('is a dependency that failed, not the tracker\'s own change', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
    expect(r.diagnosis?.root_cause.change_id).toBeNull();
  });

  it('is not, when every party fell alike', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.category).not.toBe('dependency');
  });
});
