// New code that reports another service's refusal. At minute 95 the session app ships a retry
// on 401: when the score API refuses a session token twice, it logs "score-api returned 401
// after token refresh, session start failed". At minute 100 the score API begins refusing a
// share of tokens as "not valid yet": its own trouble (the tokens' clock), which pages it. The
// session app's new line fills the logs from then on, and it is the only change near the onset.
// Its code is what logs the failures, but what it logs is the score API's answer: the requests
// run its code and meet the trouble elsewhere.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-06-18T06:00:00Z';

const run = syntheticRunner('new-code-reports', { start: START, minutes: 160, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'http_requests_per_second', service: 'score-api', labels: { status: '200' }, level: 40, noise: 0.03 },
  { metric: 'http_requests_per_second', service: 'score-api', labels: { status: '401' }, level: 0.02, noise: 0.1, shifts: [{ at: 100, to: 9 }] },
  { metric: 'score_request_duration_seconds_p99', service: 'score-api', level: 0.8, noise: 0.04 },
  { metric: 'session_starts_per_second', service: 'session-app', level: 6, noise: 0.03 },
  { metric: 'session_start_failures_per_second', service: 'session-app', level: 0.01, noise: 0.1, shifts: [{ at: 100, to: 1.4 }] },
];

/** The release's new line, naming the service whose answer it reports or not. */
function changes(message: string): BundleSpec['changes'] {
  return [
    {
      id: 'rel-session-37',
      service: 'session-app',
      type: 'deploy',
      at: 95,
      summary: 'session-app 3.7: retry scoring once on 401 with a fresh token',
      diff: patch(
        'src/session/start.py',
        ['    resp = score.open(session, token)'],
        ['    resp = score.open(session, token)', '    if resp.status == 401:', '        resp = score.open(session, refresh(token))', '        if resp.status == 401:', `            log.error("${message}", resp.status, session.id)`],
      ),
    },
    {
      id: 'cfg-score-9',
      service: 'score-api',
      type: 'config',
      at: 30,
      summary: 'score-api: scoring model cache 2 GiB',
      diff: patch('score/config.yaml', ['  model_cache: 1GiB'], ['  model_cache: 2GiB']),
    },
  ];
}

function logs(message: string): BundleSpec['logs'] {
  return {
    'session-app': [...every(0, 160, 1, 'info', 'session started'), ...every(100, 160, 0.5, 'error', message.replace('%s', '401').replace('%s', '7781'))],
    'score-api': [...every(0, 160, 1, 'info', 'scored utterance'), ...every(100, 160, 0.5, 'warn', 'rejecting session token: not valid yet (nbf in the future, ahead_s=94)')],
  };
}

const alert = { title: 'score-api 401 ratio above 10%', service: 'score-api', at: 115 };

describe('new code that logs what another service answered', () => {
  it('is not blamed for failures that service has of its own', async () => {
    const message = 'score-api returned %s after token refresh, session start failed id=%s';
    const r = await run({ alert, series, changes: changes(message), logs: logs(message) });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rel-session-37');
  });

  it('is, when the failure it logs names no other service in trouble: its own code fails', async () => {
    const message = 'session start failed after token refresh status=%s id=%s';
    const r = await run({ alert, series, changes: changes(message), logs: logs(message) });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-session-37');
  });
});
