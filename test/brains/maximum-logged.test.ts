// The room ran out where a service said so. Release-day demand triples the jobs a CI scheduler
// takes; the runner fleet's node group reaches its maximum size at minute 100 and the fleet logs
// that scale-up is blocked there. Jobs pile up in the scheduler (the paged service), waiting for
// runners. The pile is in the scheduler; the room that ran out is the fleet's.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('maximum-logged', { start: '2036-12-07T07:20:00Z', minutes: 150, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'ci_jobs_submitted_per_minute', service: 'ci-scheduler', level: 80, noise: 0.05, shifts: [{ at: 90, to: 260 }] },
  { metric: 'ci_jobs_pending', service: 'ci-scheduler', level: 40, noise: 0.1, shifts: [{ at: 100, to: 900 }, { at: 110, to: 2000 }] },
  { metric: 'ci_queue_wait_seconds_p95', service: 'ci-scheduler', level: 20, noise: 0.1, shifts: [{ at: 100, to: 900 }] },
  { metric: 'runner_fleet_nodes', service: 'runner-fleet', level: 150, noise: 0.02, shifts: [{ at: 92, to: 200 }, { at: 100, to: 240 }] },
  { metric: 'build_cache_requests_per_second', service: 'build-cache', level: 300, noise: 0.05, shifts: [{ at: 90, to: 900 }] },
];

const logs = (line: string): Parameters<typeof run>[0]['logs'] => ({
  'ci-scheduler': [...every(0, 150, 1, 'info', 'job dispatched pool=linux-large'), ...every(100, 150, 0.5, 'warn', 'job waiting for runner pool=linux-large')].sort((a, b) => a.at - b.at),
  'runner-fleet': [...every(0, 150, 2, 'info', 'reconcile ok'), ...every(100, 150, 1, 'warn', line)].sort((a, b) => a.at - b.at),
  'build-cache': every(0, 150, 2, 'info', 'cache hit'),
});

const alert = { title: 'CI queue wait above 10 minutes', service: 'ci-scheduler', at: 110 };

describe('the room ran out where a service said so', () => {
  it('is load beyond the fleet that logged it reached its maximum, not the scheduler where the jobs wait', async () => {
    const r = await run({ alert, series, changes: [], logs: logs('scale-up blocked: node group linux-large at max size (240 nodes)') });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'runner-fleet', change_id: null });
  });

  it('stays with the scheduler when no service says it reached a maximum', async () => {
    const r = await run({ alert, series, changes: [], logs: logs('node registered in group linux-large') });
    expect(verdict(r).service).not.toBe('runner-fleet');
  });
});
