// A provider refusing the volume its caller multiplied. At minute 40 a config change cuts the
// weather broker's cache lifetime, and its calls answered by the provider step tenfold while
// the requests it serves hold. At minute 130 the provider starts answering 429 (its quota met
// by that volume) and the dispatch API that needs briefings pages. The provider did not fail
// on its own: it answered what it was sent. Without the tenfold step, the same refusals are the
// provider's own trouble.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-08-14T12:00:00Z';

const run = syntheticRunner('calls-multiplied', { start: START, minutes: 170, stepSeconds: 60 });

/** With `multiplied`, the broker's answered calls step tenfold at the change. */
function series(multiplied: boolean): SeriesSpec[] {
  return [
    { metric: 'broker_requests_per_second', service: 'wx-broker', level: 3, noise: 0.03 },
    { metric: 'upstream_calls_per_minute', service: 'wx-broker', labels: { provider: 'skyfeed', code: '200' }, level: 40, noise: 0.03, shifts: multiplied ? [{ at: 41, to: 400 }] : [] },
    { metric: 'upstream_calls_per_minute', service: 'wx-broker', labels: { provider: 'skyfeed', code: '429' }, level: 0.01, noise: 0.1, shifts: [{ at: 130, to: 120 }] },
    { metric: 'broker_latency_ms_p99', service: 'wx-broker', level: 400, noise: 0.05, shifts: [{ at: 130, to: 3900 }] },
    { metric: 'release_latency_ms_p99', service: 'dispatch-api', level: 900, noise: 0.05, shifts: [{ at: 131, to: 3200 }] },
    { metric: 'http_requests_per_second', service: 'dispatch-api', level: 2, noise: 0.03 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-broker-ttl',
    service: 'wx-broker',
    type: 'config',
    at: 40,
    summary: 'wx-broker: fresher station observations',
    diff: patch('deploy/wx-broker/prod.yaml', ['    station_ttl_seconds: 600'], ['    station_ttl_seconds: 45']),
  },
  {
    id: 'rel-dispatch-88',
    service: 'dispatch-api',
    type: 'deploy',
    at: 110,
    summary: 'dispatch-api 8.8: release PDF section order',
    diff: patch('src/release/pdf.ts', ['  sections.push(weather, crew);'], ['  sections.push(crew, weather);']),
  },
];

const logs: BundleSpec['logs'] = {
  'wx-broker': [...every(0, 170, 1, 'info', 'briefing served'), ...every(130, 170, 0.5, 'warn', 'upstream rate limited by skyfeed: 429 Too Many Requests')],
  'dispatch-api': [...every(0, 170, 2, 'info', 'flight released'), ...every(131, 170, 1, 'error', 'flight release failed: briefing incomplete')],
};

const alert = { title: 'Flight releases failing', service: 'dispatch-api', at: 145 };

describe('a provider refusing calls its caller had multiplied', () => {
  it('is not a dependency that failed on its own', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.category).not.toBe('dependency');
  });

  it('is one, when the calls it refused had not grown', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
  });
});
