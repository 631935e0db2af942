// A ceiling cut hours before a peak: the change took the room the peak needed. The disk's
// busy share stepped up the moment the change took effect, at the same traffic, and ran out
// when the load came. Without that step (the same diff, the disk as idle after it as before),
// the change shows nothing acting, and the load that outgrew the disk is what is left.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2035-06-02T06:00:00Z';
const run = syntheticRunner('headroom', { start: START, minutes: 210 });

const volumeCut = [
  'diff --git a/terraform/ledger-db/volume.tf b/terraform/ledger-db/volume.tf',
  '--- a/terraform/ledger-db/volume.tf',
  '+++ b/terraform/ledger-db/volume.tf',
  '@@ -1,7 +1,7 @@',
  ' resource "aws_ebs_volume" "ledger_db_data" {',
  '   size       = 1500',
  '-  type       = "io2"',
  '-  iops       = 12000',
  '+  type       = "gp3"',
  '+  iops       = 2500',
  '   encrypted  = true',
  ' }',
  '',
].join('\n');

/** The peak at minute 170: arrivals triple; the disk runs out; the API waits on it. */
function series(stepAtChange: boolean): SeriesSpec[] {
  const busy = stepAtChange ? [{ at: 32, to: 0.46 }, { at: 170, to: 0.99 }] : [{ at: 170, to: 0.99 }];
  const queue = stepAtChange ? [{ at: 32, to: 2.1 }, { at: 170.5, to: 240 }] : [{ at: 170.5, to: 240 }];
  return [
    { metric: 'http_requests_per_second', service: 'ledger-api', level: 300, noise: 0.03, shifts: [{ at: 170, to: 900 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'ledger-api', level: 0.18, noise: 0.03, shifts: [{ at: 171, to: 3.9 }] },
    { metric: 'http_error_ratio', service: 'ledger-api', level: 0.002, noise: 0.1, shifts: [{ at: 171, to: 0.09 }] },
    { metric: 'pg_xact_commit_per_second', service: 'ledger-db', level: 700, noise: 0.03, shifts: [{ at: 170, to: 2100 }] },
    { metric: 'node_disk_io_util_ratio', service: 'ledger-db', level: 0.12, noise: 0.03, shifts: busy },
    { metric: 'node_disk_io_queue_depth', service: 'ledger-db', level: 0.9, noise: 0.05, shifts: queue },
  ];
}

const changes: BundleSpec['changes'] = [
  { id: 'infra-77', service: 'ledger-db', type: 'infra', at: 25, summary: 'ledger-db data volume io2 -> gp3 (storage right-sizing)', diff: volumeCut },
];

const alert = { title: 'ledger-api p99 above 2s', service: 'ledger-api', at: 176 };

describe('a ceiling cut long before the peak', () => {
  it('is named when the resource that ran out stepped up as it took effect, at level traffic', async () => {
    const r = await run({ alert, series: series(true), changes });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'ledger-db', change_id: 'infra-77' });
  });

  it('is not, when that resource held its level across it: the load outgrew the disk', async () => {
    const r = await run({ alert, series: series(false), changes });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'ledger-db', change_id: null });
  });
});

/** A caller whose release sent many times the work to a gateway, at its own level traffic: the gateway's workers stepped up then, and ran out at the peak. */
function callerSeries(stepAtChange: boolean): SeriesSpec[] {
  const busy = stepAtChange ? [{ at: 32, to: 120 }] : [];
  return [
    { metric: 'http_requests_per_second', service: 'load-manager', level: 4.5, noise: 0.03 },
    // Its own pushes time out once the gateway's queue builds: it is on the path.
    { metric: 'profile_push_timeouts_per_second', service: 'load-manager', level: 0.01, noise: 0.2, shifts: [{ at: 186, to: 40 }] },
    { metric: 'gateway_outbound_workers_busy', service: 'charge-gateway', level: 12, noise: 0.05, shifts: busy, slope: stepAtChange ? 0.8 : 1.4, slopeFrom: 100, slopeUntil: 185 },
    // The calls waiting, by who sent them: the path from the page to the caller.
    { metric: 'gateway_outbound_queue_depth', service: 'charge-gateway', labels: { client: 'load-manager' }, level: 1, noise: 0.2, shifts: [{ at: 185, to: 900 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'session-api', level: 0.2, noise: 0.03, shifts: [{ at: 186, to: 31 }] },
    { metric: 'http_requests_per_second', service: 'session-api', level: 60, noise: 0.03 },
  ];
}

const callerChanges: BundleSpec['changes'] = [
  { id: 'rel-lm-49', service: 'load-manager', type: 'deploy', at: 25, summary: 'load-manager 4.9: send charging profiles every cycle' },
  { id: 'rel-sa-12', service: 'session-api', type: 'deploy', at: 160, summary: 'session-api 12: evse id parsing' },
];

describe("a caller that used up a peer's room", () => {
  it("is named when the peer's resource that ran out stepped up as it took effect, at the caller's level traffic", async () => {
    const r = await run({ alert: { title: 'session-api p99 above 10s', service: 'session-api', at: 195 }, series: callerSeries(true), changes: callerChanges });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'load-manager', change_id: 'rel-lm-49' });
  });

  it('is not, when the peer\'s room was already filling before the release and nothing links the caller to it', async () => {
    // The gateway's busy workers doubled every half hour since the morning; the queue names
    // another client, and nothing of load-manager's names the gateway.
    const climbing = callerSeries(true).map((x) => {
      if (x.metric === 'gateway_outbound_workers_busy') return { ...x, level: 5, shifts: [{ at: 10, to: 10 }, { at: 40, to: 20 }, { at: 75, to: 45 }, { at: 150, to: 110 }], slope: 0 };
      if (x.labels?.['client'] === 'load-manager') return { ...x, labels: { client: 'tariff-sync' } };
      return x;
    });
    const late = callerChanges.map((x) => (x.id === 'rel-lm-49' ? { ...x, at: 70 } : x));
    const r = await run({ alert: { title: 'session-api p99 above 10s', service: 'session-api', at: 195 }, series: climbing, changes: late });
    expect(verdict(r).change_id).not.toBe('rel-lm-49');
  });

  it('is not, when that resource held its level across the release', async () => {
    const r = await run({ alert: { title: 'session-api p99 above 10s', service: 'session-api', at: 195 }, series: callerSeries(false), changes: callerChanges });
    expect(verdict(r).change_id).not.toBe('rel-lm-49');
  });
});

describe('each unit of work made heavier hours before the peak', () => {
  // At 30, during the morning ramp, a release makes each reservation take six store operations
  // instead of one (a watched transaction retried without backoff). The store has room then; at
  // 180 registration opens, the store's CPU pins and reservations fail. The traffic grew across
  // the release, so a step in the store's load cannot be told from the ramp; the operations per
  // reservation can.
  const heavier = (step: boolean): SeriesSpec[] => [
    { metric: 'ledger_requests_per_second', service: 'seat-ledger', level: 40, noise: 0.02, slope: 1, slopeUntil: 170, shifts: [{ at: 180, to: 160 }] },
    { metric: 'ledger_store_ops_per_reservation', service: 'seat-ledger', level: 1.2, noise: 0.03, shifts: step ? [{ at: 31, to: 7 }, { at: 180, to: 30 }] : [{ at: 180, to: 1.3 }] },
    { metric: 'store_cpu_utilization_ratio', service: 'seats-store', level: 0.1, noise: 0.03, slope: 0.002, slopeUntil: 170, shifts: [{ at: 180, to: 1 }] },
    { metric: 'enroll_error_ratio', service: 'enrollment', level: 0.002, noise: 0.05, shifts: [{ at: 181, to: 0.3 }] },
    { metric: 'enroll_requests_per_second', service: 'enrollment', level: 40, noise: 0.02, slope: 0.3, slopeUntil: 170, shifts: [{ at: 180, to: 160 }] },
  ];
  const changes: BundleSpec['changes'] = [
    {
      id: 'rel-3391',
      service: 'seat-ledger',
      type: 'deploy',
      at: 30,
      summary: 'seat-ledger: reservations as a watched transaction',
      diff: patch('ledger/reserve.py', ['    return store.evalsha(RESERVE, keys)'], ['    for _ in range(25):', '        if try_reserve(store, keys):', '            return True']),
    },
  ];
  const alert = { title: 'enrollment errors above 10%', service: 'enrollment', at: 190 };

  it('names the release whose work per unit stepped up as it took effect, though traffic grew across it', async () => {
    const r = await run({ alert, series: heavier(true), changes });
    expect(verdict(r).change_id).toBe('rel-3391');
  });

  it('does not, when the work per unit held across it', async () => {
    const r = await run({ alert, series: heavier(false), changes });
    expect(verdict(r).change_id).not.toBe('rel-3391');
  });
});
