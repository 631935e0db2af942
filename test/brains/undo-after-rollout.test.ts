// An undo acts as its rollout replaces what it undoes. The paged API's queries began to time
// out at minute 60, fifteen minutes after its own release; the responders rolled that release
// back at minute 85, and the rollout finished at minute 88. The timeouts went on at their full
// pace for eight more minutes and stopped at once at minute 96, when what blocked the table
// went away. The latency's windows put the recovery inside the watch after the rollback, but the
// failures outlived the rollout: the rollback did not end them, and does not convict the release.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-03-12T05:00:00Z';
const minute = (m: number): string => new Date(Date.parse(START) + m * 60_000).toISOString();

const run = syntheticRunner('undo-after-rollout', { start: START, minutes: 150, stepSeconds: 30 });

/** The timeouts, and the latency and commits with them, end at minute `end`. */
function series(end: number): SeriesSpec[] {
  return [
    { metric: 'http_request_duration_seconds_p99', service: 'content-api', level: 0.09, noise: 0.05, shifts: [{ at: 60, to: 2 }, { at: end, to: 0.09 }] },
    { metric: 'http_requests_per_second', service: 'content-api', level: 300, noise: 0.03 },
    { metric: 'db_commits_per_second', service: 'content-db', level: 800, noise: 0.03, shifts: [{ at: 60, to: 200 }, { at: end, to: 800 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-api-712',
    service: 'content-api',
    type: 'deploy',
    at: 45,
    summary: 'content-api 7.12: corrections block in the article payload',
    diff: patch('src/articles/payload.py', ['    return {"id": a.id, "body": a.body}'], ['    return {"id": a.id, "body": a.body, "corrections": a.corrections}']),
  },
  {
    id: 'rb-api-712',
    service: 'content-api',
    type: 'rollback',
    at: 85,
    summary: 'roll back content-api to 7.11',
    attributes: { reverts: 'deploy-api-712', finished_at: minute(88) },
  },
];

const logs = (end: number): BundleSpec['logs'] => ({
  'content-api': [...every(0, 150, 1, 'info', 'GET /articles served'), ...every(60, end, 0.25, 'error', 'canceling statement due to statement timeout on articles')].sort((a, b) => a.at - b.at),
  'content-db': every(0, 150, 5, 'info', 'checkpoint complete'),
});

const alert = { title: 'content-api p99 latency above 1s', service: 'content-api', at: 64 };

describe('an undo whose rollout the failures outlived', () => {
  it('does not convict the change it undid', async () => {
    const r = await run({ alert, series: series(96), changes, logs: logs(96) });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('deploy-api-712');
  });

  it('still credits an undo whose rollout the failures ended with', async () => {
    const r = await run({ alert, series: series(87), changes, logs: logs(87) });
    expect(r.diagnosis?.root_cause.change_id).toBe('deploy-api-712');
  });
});
