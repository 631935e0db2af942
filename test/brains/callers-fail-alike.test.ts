// Two callers of one registry failing together, one of them changed. The filing sender ships a
// release at minute 30 that moves its registry client to HTTP/2 with a larger pool: its open
// connections to the registry step from 2 to 16 as it rolls out, and it works on. At minute 42
// the registry starts answering 503: the sender's submissions fail and its queue builds until
// the page, and the harbour desk, which nothing changed, fails its calls to the same registry
// from the same minute. The release is the paged service's own change, twelve minutes before,
// and its pool is what moved first; the registry is what both callers share.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-03-15T08:00:00Z';
const REGISTRY = 'permit-registry';

const run = syntheticRunner('callers-fail-alike', { start: START, minutes: 120, stepSeconds: 30 });

/** With `deskFails`, the harbour desk's calls to the registry fail from minute 42 as the sender's do. */
function series(deskFails: boolean): SeriesSpec[] {
  return [
    { metric: 'http_client_open_connections', service: 'filing-sender', labels: { upstream: REGISTRY }, level: 2, noise: 0.05, shifts: [{ at: 31, to: 16 }] },
    { metric: 'upstream_responses_per_second', service: 'filing-sender', labels: { upstream: REGISTRY, code: '503' }, level: 0.001, noise: 0.1, shifts: [{ at: 42, to: 1.2 }] },
    { metric: 'upstream_responses_per_second', service: 'filing-sender', labels: { upstream: REGISTRY, code: '201' }, level: 1.3, noise: 0.05, shifts: [{ at: 42, to: 0.05 }] },
    { metric: 'filing_queue_depth', service: 'filing-sender', level: 3, noise: 0.1, shifts: [42, 50, 60, 70, 80].map((at, i) => ({ at, to: 40 * (i + 1) })) },
    { metric: 'upstream_errors_per_minute', service: 'harbour-desk', labels: { upstream: REGISTRY }, level: 0.03, noise: 0.1, shifts: deskFails ? [{ at: 42, to: 9 }] : [] },
    { metric: 'declarations_submitted_per_minute', service: 'harbour-desk', level: 6, noise: 0.05 },
    { metric: 'http_server_requests_per_second', service: 'catch-app', level: 20, noise: 0.04 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-sender-39',
    service: 'filing-sender',
    type: 'deploy',
    at: 30,
    summary: 'filing-sender 3.9: HTTP/2 and a larger connection pool for the registry client',
    diff: patch(
      'internal/registry/client.go',
      ['\tMaxConnsPerHost: 4,', '\tForceAttemptHTTP2: false,'],
      ['\tMaxConnsPerHost: 32,', '\tForceAttemptHTTP2: true,', '\t// retry once on a reset stream', '\tRetryOnReset: true,'],
    ),
  },
  {
    id: 'cfg-catch-photo',
    service: 'catch-app',
    type: 'config',
    at: 10,
    summary: 'haul photo upload limit 8 -> 12 MB',
    diff: patch('config/uploads.yaml', ['max_photo_mb: 8'], ['max_photo_mb: 12']),
  },
];

function logs(deskFails: boolean): BundleSpec['logs'] {
  return {
    'filing-sender': [
      ...every(0, 120, 1, 'info', 'submission accepted'),
      ...every(42.2, 120, 0.5, 'warn', `submission failed: ${REGISTRY} answered 503, will retry`),
      ...every(42.4, 120, 0.5, 'warn', 'retrying submission after reset stream, attempt 2'),
    ],
    'harbour-desk': [...every(0, 120, 2, 'info', 'declaration stored'), ...(deskFails ? every(42.3, 120, 1, 'error', `POST to ${REGISTRY} failed: 503 Service Unavailable`) : [])],
  };
}

const alert = { title: 'Filing submissions failing', service: 'filing-sender', at: 58 };

describe('callers of one dependency failing together', () => {
  it('is the dependency when a caller no change touched failed alike', async () => {
    const r = await run({ alert, series: series(true), changes, logs: logs(true) });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
    expect(r.diagnosis?.root_cause.change_id).toBeNull();
  });

  it('dates the incident from the failures, not from the pool the release enlarged', async () => {
    const r = await run({ alert, series: series(false), changes, logs: logs(false) });
    const onset = r.diagnosis?.timeline.find((e) => e.event.startsWith('Onset:'));
    expect(onset?.at).toBe('2036-03-15T08:42:00Z');
  });
});
