// Refusals that grow with the crowd date nothing. Doors turn away the same share of members all
// morning (no plan, a lapsed badge), so their count of refusals climbs with the arrivals. The
// incident starts an hour later, when a job released at a quarter past begins locking the rows
// every entry writes; the page's own series fails only in bursts and never moves on a median.
// With nothing else of the paged service moving, the morning's refusals must not date it.
import { describe, expect, it } from 'vitest';
import { statedOnset, syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2042-05-12T11:00:00Z';
const run = syntheticRunner('refusals-with-crowd', { start: START, minutes: 200 });

const series: SeriesSpec[] = [
  { metric: 'unlock_requests_per_second', service: 'door-gateway', level: 3, noise: 0.04, slope: 0.3, slopeFrom: 40, slopeUntil: 100 },
  { metric: 'unlock_failures_per_second', service: 'door-gateway', labels: { reason: 'denied' }, level: 0.1, noise: 0.1, slope: 0.01, slopeFrom: 40, slopeUntil: 100 },
  { metric: 'occupancy_sync_members_scanned', service: 'occupancy-sync', level: 1600, noise: 0.02, shifts: [{ at: 155, to: 58000 }] },
  { metric: 'occupancy_sync_run_seconds', service: 'occupancy-sync', level: 2, noise: 0.05, shifts: [{ at: 155, to: 40 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'access-rules', level: 0.05, noise: 0.05, shifts: [{ at: 155, to: 30 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-occ-240',
    service: 'occupancy-sync',
    type: 'deploy',
    at: 151,
    summary: 'occupancy-sync 2.4.0: recount presence under lock',
    diff: patch('occupancy_sync/recount.py', ['    rows = Member.objects.filter(active=True)'], ['    rows = Member.objects.select_for_update().filter(active=True)']),
  },
];

const logs: BundleSpec['logs'] = {
  'door-gateway': [...every(0, 200, 1, 'info', 'unlock ok'), ...every(156, 200, 2, 'warn', 'unlock failed: access-rules call timed out after 3s')],
  'access-rules': [...every(0, 200, 1, 'info', 'entry recorded'), ...every(156, 200, 1, 'warn', 'slow entry record took 31s: UPDATE members SET last_entry_at=? WHERE id=?')],
  'occupancy-sync': every(0, 200, 5, 'info', 'recount done'),
};

describe('refusals that grow with the crowd', () => {
  it('do not date the incident, when the page fails only in bursts', async () => {
    const r = await run({ alert: { title: 'door unlock timeouts', service: 'door-gateway', at: 165 }, series, changes, logs });
    const onset = statedOnset(r);
    expect(onset).not.toBeNull();
    expect(onset as number).toBeGreaterThanOrEqual(Date.parse(START) + 150 * 60_000);
  });
});
