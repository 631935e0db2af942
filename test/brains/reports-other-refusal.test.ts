// A poller's release added a retry loop to its calls to a vendor. An hour and a half later the
// vendor freezes (no new positions), then answers some polls 503: the release's new warning
// quotes the vendor's own refusal. That line names what the release touches, as the incident
// began, but it reports what another party answered; the release did not make it answer so.
// The vendor's stream falling to nothing is the cause, not the release.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('reports-other-refusal', { start: '2037-07-21T14:00:00Z', minutes: 180, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'location_updates_per_second', service: 'locations', labels: { source: 'gps' }, level: 20, noise: 0.05, shifts: [{ at: 100, to: 0 }] },
  { metric: 'location_updates_per_second', service: 'locations', labels: { source: 'aei' }, level: 6, noise: 0.05 },
  { metric: 'fleet_gps_stale_ratio', service: 'locations', level: 0.04, noise: 0.1, shifts: [{ at: 115, to: 0.9 }] },
  { metric: 'http_requests_per_second', service: 'portal', level: 30, noise: 0.04 },
  { metric: 'positions_received_per_second', service: 'poller', level: 20, noise: 0.05, shifts: [{ at: 100, to: 0 }] },
  { metric: 'poll_errors_per_second', service: 'poller', level: 0, noise: 0, shifts: [{ at: 110, to: 0.5 }] },
];

const diff = [
  'diff --git a/poller/railtrack.py b/poller/railtrack.py',
  '--- a/poller/railtrack.py',
  '+++ b/poller/railtrack.py',
  '@@ -40,4 +40,13 @@',
  '     def poll(self, cursor: int) -> PositionsPage:',
  '-        resp = self._session.get(f"{self._base}/v3/positions", params={"since": cursor}, timeout=20)',
  '-        resp.raise_for_status()',
  '-        return PositionsPage.parse_obj(resp.json())',
  '+        for attempt in range(1, self._retry_budget + 1):',
  '+            resp = self._session.get(f"{self._base}/v3/positions", params={"since": cursor}, timeout=20)',
  '+            if resp.status_code in (502, 503, 504) and attempt < self._retry_budget:',
  '+                log.warning("GET /v3/positions returned %s %s; retrying in 5s (attempt %d/%d)",',
  '+                            resp.status_code, resp.text[:120], attempt, self._retry_budget)',
  '+                time.sleep(5)',
  '+                continue',
  '+            resp.raise_for_status()',
  '+            return PositionsPage.model_validate(resp.json())',
  '+        raise RuntimeError("unreachable")',
  '',
].join('\n');

const changes: BundleSpec['changes'] = [
  { id: 'deploy-poller-12', service: 'poller', type: 'deploy', at: 10, summary: 'poller 1.22.0: pydantic v2 models, per-poll retry budget', diff },
];

const logs: BundleSpec['logs'] = {
  poller: [
    ...every(0, 100, 0.5, 'info', 'poll ok positions=40'),
    ...every(100, 180, 0.5, 'info', 'poll ok positions=0'),
    ...every(110.2, 180, 2, 'warn', 'GET /v3/positions returned 503 {"error":"upstream_unavailable","message":"position store maintenance"}; retrying in 5s (attempt 1/3)'),
  ],
  locations: [...every(0, 180, 1, 'info', 'positions applied'), ...every(115.3, 180, 1, 'warn', 'GPS fix stale (> 30m) for 412 of 450 cars')],
  portal: every(0, 180, 1, 'info', 'page served'),
};

const alert = { title: 'FleetGpsStale', service: 'locations', at: 125 };

describe('a release whose new warning quotes another party\'s refusal', () => {
  it('is not named by that line as the incident began', async () => {
    const r = await run({ alert, series, changes, logs });
    expect(verdict(r).change_id).not.toBe('deploy-poller-12');
  });
});
