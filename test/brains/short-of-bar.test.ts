// A page that says what it fires on in words ("p99 latency above 1s") dates the incident from
// the latency that crossed it, not from another route's that rose to 0.6 s ten minutes before
// (a heavier password hash on login, real but not what paged). And a busy signal on a caller,
// twenty minutes earlier, that nothing followed until that caller moved anew with the front, did
// not lead it.
import { describe, expect, it } from 'vitest';
import { statedOnset, syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2037-09-21T22:00:00Z';
const run = syntheticRunner('short-of-bar', { start: START, minutes: 180, stepSeconds: 60 });
const minute = (m: number): number => Date.parse(START) + m * 60_000;

const series: SeriesSpec[] = [
  { metric: 'http_request_duration_seconds_p99', service: 'sessions', labels: { route: 'login' }, level: 0.12, noise: 0.05, shifts: [{ at: 80, to: 0.6 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'sessions', labels: { route: 'refresh' }, level: 0.06, noise: 0.05, shifts: [{ at: 100, to: 1.6 }] },
  { metric: 'http_request_error_ratio', service: 'sessions', level: 0.001, noise: 0.1, shifts: [{ at: 100, to: 0.2 }] },
  { metric: 'http_requests_per_second', service: 'sessions', labels: { route: 'refresh' }, level: 4, noise: 0.04, shifts: [{ at: 100, to: 80 }] },
  { metric: 'container_cpu_usage_cores', service: 'gateway', level: 0.7, noise: 0.04, shifts: [{ at: 70, to: 2.5 }] },
  { metric: 'ws_connections_closed_per_second', service: 'gateway', level: 0.3, noise: 0.1, shifts: [{ at: 99, to: 100 }] },
  { metric: 'snapshot_duration_seconds_p99', service: 'lots', level: 0.04, noise: 0.05, shifts: [{ at: 99, to: 0.13 }] },
  { metric: 'refresh_calls_per_second', service: 'gateway', labels: { peer: 'sessions' }, level: 4, noise: 0.04, shifts: [{ at: 100, to: 80 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-sessions-320',
    service: 'sessions',
    type: 'deploy',
    at: 78,
    summary: 'sessions: argon2 memory cost 64 MiB',
    diff: patch('src/sessions/hash.ts', ['const MEMORY_COST = 32768;'], ['const MEMORY_COST = 65536;']),
  },
];

const logs: BundleSpec['logs'] = {
  sessions: [...every(0, 180, 1, 'info', 'session refreshed'), ...every(100.3, 180, 0.5, 'error', 'request shed: concurrency limit reached')],
  gateway: [...every(0, 180, 1, 'info', 'ws connected'), ...every(99.2, 180, 0.5, 'warn', 'ws closed code=1006 peer=sessions')],
  lots: every(0, 180, 1, 'info', 'snapshot served'),
};

describe('the latency the page fires above', () => {
  it('dates the incident, not a slowdown of another route that stayed well under it', async () => {
    const r = await run({ alert: { title: 'sessions p99 latency above 1s and 5xx above 2%', service: 'sessions', at: 112 }, series, changes, logs });
    const onset = statedOnset(r);
    expect(onset).not.toBeNull();
    expect(Math.abs((onset as number) - minute(99))).toBeLessThanOrEqual(2 * 60_000);
  });
});
