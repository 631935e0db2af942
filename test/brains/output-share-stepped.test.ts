// A change that makes a service pass on less of what it takes in. The position feed reads the
// same 240 frames a second from the cranes before and after; at minute 100 a setting makes
// it publish a crane's position only when the crane moves, and its published updates fall
// from 24 to 7 a second at once. The dispatcher that reads them sees positions go stale,
// excludes idle cranes and its pending moves pile up until the page. The feed itself never
// looks sick; the dispatcher's own release ten minutes earlier is the nearer suspect in place.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-09-02T05:00:00Z';

const run = syntheticRunner('output-share-stepped', { start: START, minutes: 180, stepSeconds: 60 });

/** The feed's frames in and updates out; with `intakeFell`, the frames coming in fell as much (the cranes went quiet). */
function series(intakeFell: boolean): SeriesSpec[] {
  return [
    { metric: 'feed_frames_received_per_second', service: 'position-feed', level: 240, noise: 0.02, shifts: intakeFell ? [{ at: 100, to: 70 }] : [] },
    { metric: 'feed_updates_published_per_second', service: 'position-feed', level: 24, noise: 0.03, shifts: [{ at: 100, to: 7 }] },
    { metric: 'process_cpu_cores', service: 'position-feed', level: 0.3, noise: 0.05 },
    { metric: 'dispatch_position_age_seconds_p95', service: 'move-dispatcher', level: 1.3, noise: 0.05, shifts: [{ at: 100, to: 27 }] },
    { metric: 'dispatch_pending_moves', service: 'move-dispatcher', level: 37, noise: 0.05, shifts: [100, 105, 110, 115, 120, 125, 130].map((at, i) => ({ at, to: 60 + 30 * i })) },
    { metric: 'dispatch_attempts_per_second', service: 'move-dispatcher', level: 2.3, noise: 0.03, shifts: [{ at: 100, to: 3.9 }] },
    { metric: 'dispatch_eligible_cranes', service: 'move-dispatcher', level: 24, noise: 0, shifts: [{ at: 100, to: 15 }] },
    { metric: 'berth_plan_recalculations_per_minute', service: 'berth-plan', level: 1.2, noise: 0.05 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-dispatch-514',
    service: 'move-dispatcher',
    type: 'deploy',
    at: 90,
    summary: 'move-dispatcher 5.14: log twin-lift eligibility on dispatch',
    diff: patch('src/dispatch/eligibility.rs', ['    let ok = twin_lift_ok(&crane, &mv);'], ['    let ok = twin_lift_ok(&crane, &mv);', '    debug!(crane = %crane.id, ok, "twin-lift eligibility");']),
  },
  {
    id: 'cfg-feed-publish',
    service: 'position-feed',
    type: 'config',
    at: 100,
    summary: 'publish positions on movement only, heartbeat 30s (save uplink bandwidth)',
    diff: patch('feed/publish.yaml', ['  heartbeat: 1s', '  on_change_only: false'], ['  heartbeat: 30s', '  on_change_only: true']),
  },
  {
    id: 'rel-berth-114',
    service: 'berth-plan',
    type: 'deploy',
    at: 40,
    summary: 'berth-plan 11.4: tide window from the hourly table',
    diff: patch('planner/tide.py', ['    return tide_table.at(minute)'], ['    return tide_table.hourly(minute)']),
  },
];

const logs: BundleSpec['logs'] = {
  'move-dispatcher': [...every(0, 180, 2, 'info', 'dispatched move to crane'), ...every(101, 180, 0.5, 'warn', 'crane excluded from dispatch: position stale')],
  'position-feed': every(0, 180, 5, 'info', 'uplink batch flushed'),
};

const alert = { title: 'Pending moves above 200', service: 'move-dispatcher', at: 131 };

describe('a change after which its service passes on less of what it takes in', () => {
  it('is on the path though its service shows no symptom of its own', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-feed-publish');
    expect(r.diagnosis?.root_cause.category).toBe('config');
  });

  it('is not, when what it takes in fell as much', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('cfg-feed-publish');
  });
});
