// Demand that grew into a declared limit. The push service holds its clients' websockets, at
// most 2,048 a pod, and every morning's shift change takes it near that. Today the curve runs
// a little higher: from minute 60 its open connections climb from two thirds of the cap onto it
// at minute 110, and it refuses what comes beyond; the board's clients go stale and it pages.
// No traffic surges (the curve grew by a tenth), the push service's CPU is low, and the board's
// own release ten minutes before is the nearest change.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-01-14T11:00:00Z';

const run = syntheticRunner('demand-at-limit', { start: START, minutes: 150, stepSeconds: 60 });

/** Each pod's open connections climb from 1,350 at minute 60 to `top` (the cap of 2,048, or short of it) at minute 110. */
function pod(name: string, top: number, names: { open: string; max: string } = { open: 'ws_connections_open', max: 'ws_connections_max' }): SeriesSpec[] {
  const climb = [60, 70, 80, 90, 100, 110].map((at, i) => ({ at, to: Math.min(top, 1350 + (top - 1350) * ((i + 1) / 6)) }));
  const full = top >= 2048;
  return [
    { metric: names.open, service: 'board-push', labels: { pod: name }, level: 1350, noise: 0.005, shifts: climb },
    { metric: names.max, service: 'board-push', labels: { pod: name }, level: 2048, noise: 0 },
    { metric: 'ws_connection_rejects_per_second', service: 'board-push', labels: { pod: name }, level: 0, noise: 0, shifts: full ? [{ at: 111, to: 6 }] : [] },
  ];
}

function series(top: number, names?: { open: string; max: string }): SeriesSpec[] {
  return [
    ...pod('board-push-0', top, names),
    ...pod('board-push-1', top, names),
    { metric: 'process_cpu_cores', service: 'board-push', level: 0.3, noise: 0.04 },
    { metric: 'board_clients_stale', service: 'board-web', level: 4, noise: 0.1, shifts: top >= 2048 ? [{ at: 111, to: 280 }] : [] },
    { metric: 'board_page_loads_per_second', service: 'board-web', level: 12, noise: 0.04, shifts: [{ at: 60, to: 13.5 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-board-web-86',
    service: 'board-web',
    type: 'deploy',
    at: 100,
    summary: 'board-web: isolation icons on the bed tiles',
    diff: patch('src/tiles.tsx', ['  <Tile bed={bed} />'], ['  <Tile bed={bed} isolation={bed.isolation} />']),
  },
];

const logs: BundleSpec['logs'] = {
  'board-push': [...every(0, 150, 1, 'info', 'client subscribed to ward board'), ...every(111.2, 150, 0.5, 'warn', 'connection rejected: max_connections reached')],
};

const alert = { title: 'BedBoardClientsStale', service: 'board-web', at: 120 };

describe('demand that grew into a declared limit', () => {
  it('is load beyond what the capped service can take, though no traffic surged', async () => {
    const r = await run({ alert, series: series(2048), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('capacity');
    expect(r.diagnosis?.root_cause.service).toBe('board-push');
  });

  it('pairs a use with the limit a configuration declares for it (`tomcat_threads_busy_threads`, `tomcat_threads_config_max_threads`)', async () => {
    const r = await run({ alert, series: series(2048, { open: 'tomcat_threads_busy_threads', max: 'tomcat_threads_config_max_threads' }), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('capacity');
    expect(r.diagnosis?.root_cause.service).toBe('board-push');
  });
});
