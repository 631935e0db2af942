// A party a call metric is named for, with no label naming it. Two services call a customs
// authority's API outside the bundle: the release service's `csw_request_duration_seconds` and
// the manifest filer's `csw_submissions_total{outcome="failed"}`. At minute 100 the API starts
// timing out and answering 503; both services' new errors name its host
// (`api.csw.customs.example`). The release service shipped a harmless release at minute 85.
// The metrics' first word is the party; the lines naming a host with it say so, or, with no such
// host, two callers naming their calls for it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('party-named-by-metric', { start: '2036-03-03T12:20:00Z', minutes: 150, stepSeconds: 30 });

const series = (filerMetric: string): SeriesSpec[] => [
  { metric: 'gate_out_failure_ratio', service: 'gate-api', level: 0.006, noise: 0.1, shifts: [{ at: 100.5, to: 0.28 }] },
  { metric: 'csw_request_duration_seconds_p99', service: 'release-svc', level: 0.48, noise: 0.05, shifts: [{ at: 100, to: 15 }] },
  { metric: 'csw_request_errors_per_second', service: 'release-svc', level: 0.001, noise: 0.1, shifts: [{ at: 100, to: 0.6 }] },
  { metric: filerMetric, service: 'manifest-filer', level: 0.001, noise: 0.1, shifts: [{ at: 100, to: 0.03 }] },
  { metric: 'http_requests_per_second', service: 'gate-api', level: 40, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-release-61',
    service: 'release-svc',
    type: 'deploy',
    at: 85,
    summary: 'release-svc 6.1: correlation header on outbound calls',
    diff: patch('internal/csw/client.go', ['\treq.Header.Set("Accept", "application/json")'], ['\treq.Header.Set("Accept", "application/json")', '\treq.Header.Set("X-Correlation-Id", id)']),
  },
];

const logs = (host: string): BundleSpec['logs'] => ({
  'release-svc': [
    ...every(0, 150, 1, 'info', 'release status fetched'),
    ...every(100, 150, 0.5, 'error', `CSW call failed endpoint=release_status err="Get https://${host}/v2/release-status: context deadline exceeded"`),
  ].sort((a, b) => a.at - b.at),
  'manifest-filer': [...every(0, 150, 2, 'info', 'manifest submitted'), ...every(100, 150, 1, 'error', `ENS submission failed: HTTP 503 from ${host}: upstream temporarily unavailable`)].sort((a, b) => a.at - b.at),
  'gate-api': [...every(0, 150, 1, 'info', 'gate-out granted'), ...every(100.5, 150, 1, 'warn', 'gate-out refused reason=CSW_UNAVAILABLE')].sort((a, b) => a.at - b.at),
});

const alert = { title: 'gate-out failures above 10%', service: 'gate-api', at: 110 };

describe('a party a call metric is named for', () => {
  it('is the dependency that failed, when the new errors name a host with that word in it', async () => {
    const r = await run({ alert, series: series('ens_submissions_failed_per_second'), changes, logs: logs('api.csw.customs.example') });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
    expect(r.diagnosis?.root_cause.change_id).toBeNull();
  });

  it('is the dependency when two callers name their calls for it and the new errors name it', async () => {
    const r = await run({ alert, series: series('csw_submissions_failed_per_second'), changes, logs: logs('api.single-window.customs.example') });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
    expect(JSON.stringify(r.diagnosis)).toContain('csw, a dependency');
  });

  it("is not read from one caller's metric name when no host the errors name has it", async () => {
    const r = await run({ alert, series: series('ens_submissions_failed_per_second'), changes, logs: logs('api.single-window.customs.example') });
    expect(JSON.stringify(r.diagnosis)).not.toContain('csw, a dependency');
  });
});
