// A query that stopped using its index, found at the morning peak. A lookup service rewrites a
// condition so that its column sits inside functions; each lookup now reads the whole table,
// which a quiet night hides: the shared database's CPU steps up a little and holds. When the
// morning crowd arrives at the lookup service, the database runs out of CPU and a neighbour that
// shares it is paged. The database's slow-statement log (info level, as databases print it)
// quotes the new condition from the onset on, and never before: the crowd found the edit's
// cost. Without those lines, the same metrics read as a crowd against a ceiling, unless the
// lookup service times its own requests: forty times slower from the deploy on, at night's
// level traffic, is the edit's cost measured where it was made.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('slow-query-at-peak', { start: '2042-05-12T04:00:00Z', minutes: 240 });

const seriesWith = (lookupTimed: boolean): SeriesSpec[] => [
  { metric: 'http_requests_per_second', service: 'member-lookup', level: 2, noise: 0.05, shifts: [{ at: 140, to: 6 }, { at: 150, to: 16 }] },
  // Each lookup reads the table from the deploy on: slow, at a few a second, and nobody is paged.
  // (Where the lookup service does not time its requests, only the database's CPU shows it.)
  ...(lookupTimed ? [{ metric: 'http_request_duration_seconds_p99', service: 'member-lookup', level: 0.02, noise: 0.05, shifts: [{ at: 40, to: 0.9 }, { at: 161, to: 6 }] }] : []),
  { metric: 'http_requests_per_second', service: 'front-office', level: 5, noise: 0.05, shifts: [{ at: 140, to: 15 }, { at: 150, to: 40 }] },
  { metric: 'node_cpu_utilization_ratio', service: 'members-db', level: 0.12, noise: 0.02, shifts: [{ at: 40, to: 0.16 }, { at: 150, to: 0.55 }, { at: 160, to: 0.98 }] },
  { metric: 'db_client_query_duration_seconds_p99', service: 'bookings', level: 0.02, noise: 0.05, shifts: [{ at: 161, to: 0.6 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'bookings', level: 0.15, noise: 0.05, shifts: [{ at: 161, to: 3.2 }] },
  { metric: 'http_requests_per_second', service: 'bookings', level: 12, noise: 0.05 },
];

const slowStatement =
  "duration: 1180.4 ms  execute <unnamed>: SELECT id, name FROM members WHERE lower(trim(coalesce(email_norm, email_raw))) = $1 ORDER BY seen_at DESC LIMIT 10";

const logs = (quoted: boolean): BundleSpec['logs'] => ({
  'members-db': [...every(0, 240, 5, 'info', 'checkpoint complete: wrote 212 buffers'), ...(quoted ? every(161, 240, 0.25, 'info', slowStatement) : [])],
  bookings: [...every(0, 240, 1, 'info', 'slot reserved'), ...every(162, 240, 0.5, 'warn', 'query on members-db exceeded 500ms')],
  'member-lookup': every(0, 240, 1, 'info', 'lookup served'),
});

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-55',
    service: 'member-lookup',
    type: 'deploy',
    at: 40,
    summary: 'member-lookup 4.2.0: find members whose address was never normalised',
    diff: patch(
      'lookup/repo/members.py',
      ['    WHERE email_norm = %(email)s'],
      ['    WHERE lower(trim(coalesce(email_norm, email_raw))) = %(email)s'],
    ),
  },
  { id: 'deploy-61', service: 'bookings', type: 'deploy', at: 152, summary: 'bookings 9.1.3: driver patch release' },
];

describe('a lookup whose query stopped using its index, found by the morning crowd', () => {
  it('is the deploy, when the database logs the new condition as slow from the onset on and never before', async () => {
    const r = await run({ alert: { title: 'bookings p99 latency high', service: 'bookings', at: 170 }, series: seriesWith(true), changes, logs: logs(true) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'member-lookup', change_id: 'deploy-55' });
  });

  it('is not blamed on its edit alone, when nothing at the onset names what it touched', async () => {
    const r = await run({ alert: { title: 'bookings p99 latency high', service: 'bookings', at: 170 }, series: seriesWith(false), changes, logs: logs(false) });
    expect(verdict(r).change_id).not.toBe('deploy-55');
  });

  it('is the deploy, when its own requests took forty times longer from it on, at night\'s level traffic', async () => {
    const r = await run({ alert: { title: 'bookings p99 latency high', service: 'bookings', at: 170 }, series: seriesWith(true), changes, logs: logs(false) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'member-lookup', change_id: 'deploy-55' });
  });
});
