// A service whose day begins inside the window. The museum's gates scan nothing until the doors
// open; from then on their queue's estimated wait, their scan latency and their rejects all sit
// at the level an open day keeps. Two hours later the partner that validates one pass type fails
// and the gates reject its holders. The incident starts at that failure, not at the doors.
import { describe, expect, it } from 'vitest';
import { statedOnset, syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2042-07-18T06:00:00Z';
const run = syntheticRunner('opening-hours', { start: START, minutes: 300 });
const at = (minute: number): number => Date.parse(START) + minute * 60_000;

const OPEN = 60;
const FAILS = 190;

/** Zero while the doors are shut, `open` after, `failing` once the partner fails (when it does). */
const day = (open: number, failing: number = open, recovers = 260): Array<{ at: number; to: number }> => [
  { at: OPEN, to: open },
  { at: FAILS, to: failing },
  { at: recovers, to: open },
];

const series: SeriesSpec[] = [
  { metric: 'gate_scans_per_second', service: 'gate-desk', labels: { pass: 'partner' }, level: 0, noise: 0.05, shifts: day(0.4) },
  { metric: 'gate_scans_per_second', service: 'gate-desk', labels: { pass: 'online' }, level: 0, noise: 0.05, shifts: day(1.2) },
  { metric: 'gate_queue_estimated_wait_seconds', service: 'gate-desk', level: 0, noise: 0.08, shifts: day(90, 450) },
  { metric: 'gate_scan_reject_ratio', service: 'gate-desk', labels: { pass: 'partner' }, level: 0, noise: 0.1, shifts: day(0.015, 0.5) },
  { metric: 'gate_scan_reject_ratio', service: 'gate-desk', labels: { pass: 'online' }, level: 0, noise: 0.1, shifts: day(0.015) },
  { metric: 'gate_scan_reject_ratio_total', service: 'gate-desk', level: 0, noise: 0.1, shifts: day(0.015, 0.13) },
  { metric: 'partner_api_request_duration_seconds', service: 'pass-checker', level: 0.2, noise: 0.05, shifts: [{ at: FAILS, to: 8 }, { at: 260, to: 0.2 }] },
  { metric: 'http_requests_per_second', service: 'pass-checker', level: 0.5, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [{ id: 'chg-77', service: 'member-desk', type: 'deploy', at: 30, summary: 'member-desk 3.1.0: renewal reminder copy' }];

const logs: BundleSpec['logs'] = {
  'gate-desk': [...every(OPEN, 300, 1, 'info', 'scan accepted'), ...every(FAILS + 1, 260, 1, 'warn', 'scan rejected: pass not validated')],
  'pass-checker': [...every(0, 300, 2, 'info', 'cache refreshed'), ...every(FAILS + 1, 260, 0.5, 'error', 'partner redemption failed: 503 Service Unavailable')],
};

describe('a service whose day begins inside the window', () => {
  it('dates the incident at the failure, not at the opening its queue and rejects began with', async () => {
    const r = await run({ alert: { title: 'Gates rejecting visitors', service: 'gate-desk', at: FAILS + 10 }, series, changes, logs });
    const onset = statedOnset(r);
    expect(onset).not.toBeNull();
    expect(Math.abs((onset as number) - at(FAILS))).toBeLessThanOrEqual(3 * 60_000);
  });
});
