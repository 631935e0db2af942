// A release of one service runs its migration as it deploys: an index built in place on a table
// another service writes. The database's lock waits go from none to dozens the minute it runs,
// the writer's pool fills, and its callers' retries multiply its requests tenfold: a surge, but
// of work re-sent into the queue the lock made. The release is the cause, not load beyond what
// the writer can take. Built concurrently, the same migration locks nothing, and is no cause.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('index-build-lock', { start: '2037-12-05T01:00:00Z', minutes: 150, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'pg_locks_waiting', service: 'league-db', labels: { mode: 'RowExclusiveLock' }, level: 0, noise: 0, shifts: [{ at: 100, to: 60 }] },
  { metric: 'http_requests_per_second', service: 'results', level: 5, noise: 0.04, shifts: [{ at: 100, to: 50 }] },
  { metric: 'db_pool_pending_requests', service: 'results', level: 0, noise: 0, shifts: [{ at: 100, to: 900 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'results', level: 0.08, noise: 0.05, shifts: [{ at: 100, to: 25 }] },
  { metric: 'brackets_awaiting_result', service: 'brackets', level: 20, noise: 0.05, shifts: [{ at: 101, to: 500 }] },
  { metric: 'http_requests_per_second', service: 'brackets', level: 50, noise: 0.04 },
  { metric: 'http_requests_per_second', service: 'stats', level: 23, noise: 0.04 },
];

const changesWith = (concurrently: boolean): BundleSpec['changes'] => [
  {
    id: 'deploy-stats-42',
    service: 'stats',
    type: 'deploy',
    at: 99.4,
    summary: 'stats 4.2.0: finish-time leaderboard',
    diff: patch(
      'db/migrate/20371205_add_finished_index.rb',
      ['class AddFinishedIndex < ActiveRecord::Migration[7.1]', '  def change', '  end', 'end'],
      [
        'class AddFinishedIndex < ActiveRecord::Migration[7.1]',
        ...(concurrently ? ['  disable_ddl_transaction!'] : []),
        '  def change',
        `    add_index :match_results, [:tournament_id, :finished_at]${concurrently ? ', algorithm: :concurrently' : ''}`,
        '  end',
        'end',
      ],
    ),
  },
  {
    id: 'cfg-brackets-7',
    service: 'brackets',
    type: 'config',
    at: 80,
    summary: 'brackets: result grace period 5m -> 6m',
    diff: patch('config/brackets.yaml', ['result_grace: 5m'], ['result_grace: 6m']),
  },
];

const logs: BundleSpec['logs'] = {
  results: [...every(0, 150, 1, 'info', 'result recorded'), ...every(100.3, 150, 0.5, 'error', 'record result failed: timeout acquiring connection after 25000ms')],
  'league-db': [...every(0, 150, 5, 'info', 'checkpoint complete'), ...every(100.1, 150, 1, 'warn', 'process 31502 still waiting for RowExclusiveLock on relation match_results')],
  brackets: every(0, 150, 1, 'info', 'bracket advanced'),
};

const alert = { title: 'Brackets stalled: matches awaiting result', service: 'brackets', at: 106 };

describe('an index built in place as a release deploys', () => {
  it('is the cause, though the writer behind its lock saw its requests multiply', async () => {
    const r = await run({ alert, series, changes: changesWith(false), logs });
    expect(verdict(r)).toMatchObject({ category: 'deploy', change_id: 'deploy-stats-42' });
  });

  it('is not, built concurrently', async () => {
    const r = await run({ alert, series, changes: changesWith(true), logs });
    expect(verdict(r).change_id).not.toBe('deploy-stats-42');
  });
});
