// The outcome the page counts, counted elsewhere. The page fires on fines issued for an unpaid
// toll against their forecast, and its description states the rule. At minute 129 a config
// change to the toll matcher folds look-alike plate characters; from minute 130 the matcher
// answers "unpaid_toll" for a third of the plates it used to find paid, and the fines follow.
// Nothing errs and nothing slows: the only sign on the matcher is its share of that outcome,
// a series whose name says nothing of which way is bad. The officers' morning shift (a crowd
// of devices coming online at minute 60) and a release of the fines service are decoys.
import { describe, expect, it } from 'vitest';
import { seriesMeaning } from '../../src/hands/analysis/series-meaning.js';
import { statedOnset, syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-03-17T05:00:00Z';
const run = syntheticRunner('outcome-counted', { start: START, minutes: 240, stepSeconds: 60 });
const at = (minute: number): number => Date.parse(START) + minute * 60_000;

const series: SeriesSpec[] = [
  { metric: 'fines_issued_per_minute', service: 'fines', labels: { reason: 'unpaid_toll' }, level: 2, noise: 0.05, shifts: [{ at: 130, to: 14 }] },
  { metric: 'fines_issued_per_minute', service: 'fines', labels: { reason: 'lapsed_permit' }, level: 3, noise: 0.05 },
  { metric: 'fines_forecast_per_minute', service: 'fines', level: 5, noise: 0.01 },
  { metric: 'fines_http_duration_seconds_p99', service: 'fines', level: 0.2, noise: 0.05 },
  { metric: 'handheld_active_devices', service: 'warden-bff', level: 4, noise: 0.02, shifts: [{ at: 60, to: 70 }] },
  { metric: 'toll_match_outcome_share', service: 'toll-match', labels: { outcome: 'unpaid_toll' }, level: 0.06, noise: 0.04, shifts: [{ at: 130, to: 0.4 }] },
  { metric: 'toll_match_outcome_share', service: 'toll-match', labels: { outcome: 'paid' }, level: 0.94, noise: 0.01, shifts: [{ at: 130, to: 0.6 }] },
  { metric: 'toll_match_lookups_per_minute', service: 'toll-match', level: 40, noise: 0.05 },
  { metric: 'toll_match_duration_seconds_p99', service: 'toll-match', level: 0.02, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-fines-88',
    service: 'fines',
    type: 'deploy',
    at: 105,
    summary: 'fines 3.8: new wording of the fine notice',
    diff: patch('app/notices/fine.rb', ["    'You have been fined'"], ["    'A fine has been issued'"]),
  },
  {
    id: 'cfg-toll-19',
    service: 'toll-match',
    type: 'config',
    at: 129,
    summary: 'toll matcher: fold look-alike plate characters',
    diff: patch('config/match.yaml', ['fold_lookalikes: false'], ['fold_lookalikes: true']),
  },
];

const logs: BundleSpec['logs'] = {
  fines: every(0, 240, 2, 'info', 'fine issued'),
  'toll-match': every(0, 240, 1, 'info', 'lookup served'),
};

const description = 'sum(fines_issued_per_minute{reason="unpaid_toll"}) / fines_forecast_per_minute > 3 for 30m. Residents report fines for tolls they paid.';

describe('the outcome a page counts', () => {
  it('is read from the rule the page describes, and found where another service began to give it', async () => {
    const r = await run({ alert: { title: 'Unpaid-toll fines above forecast', service: 'fines', at: 165, description }, series, changes, logs });
    expect(statedOnset(r)).toBeGreaterThanOrEqual(at(129));
    expect(verdict(r)).toMatchObject({ category: 'config', service: 'toll-match', change_id: 'cfg-toll-19' });
  });

  it('reads a count of people or devices at work as the crowd, not a resource held', () => {
    for (const name of ['handheld_active_devices', 'active_users', 'concurrent_viewers', 'players_concurrent', 'users_active']) {
      expect(seriesMeaning(name).measures, name).toBe('traffic');
    }
    for (const name of ['db_pool_active', 'active_connections', 'pg_stat_activity_active', 'threads_active']) {
      expect(seriesMeaning(name).measures, name).toBe('saturation');
    }
  });

  it('reads sessions or logins counted per unit of time as how many began, not how many are held', () => {
    for (const name of ['checkout_express_pay_sessions_per_minute', 'player_sessions_started_per_second', 'vpn_logins_per_hour']) {
      expect(seriesMeaning(name).measures, name).toBe('traffic');
    }
    for (const name of ['checkout_sessions_active', 'db_connections', 'client_connections_in_use']) {
      expect(seriesMeaning(name).measures, name).toBe('saturation');
    }
  });
});
