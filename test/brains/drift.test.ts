// Two ways a quiet hour before an outage misleads. A latency that crept up by half, long
// before the service broke, is a precursor: the incident dates from the break. And a config
// change made minutes before the break, whose every edit reads as harmless (log thresholds),
// has only its timing, like a deploy whose diff shows nothing risky.
import { describe, expect, it } from 'vitest';
import { statedOnset, syntheticRunner, type Run } from './helpers.js';
import type { BundleSpec, SeriesSpec } from './synthetic.js';

const START = '2035-06-03T06:00:00Z';
const run = syntheticRunner('drift', { start: START, minutes: 240 });
const at = (minute: number): number => Date.parse(START) + minute * 60_000;

const verdict = (r: Run): string | null | undefined => r.diagnosis?.root_cause.change_id;

/** The indexer's bulk latency creeps up by `creep` from minute 60; at minute 200 its bulk items fail outright. */
function series(creep: number): SeriesSpec[] {
  return [
    { metric: 'indexer_documents_per_second', service: 'indexer', level: 800, noise: 0.03 },
    { metric: 'indexer_bulk_duration_seconds_p99', service: 'indexer', level: 0.4, noise: 0.03, shifts: [{ at: 60, to: 0.4 * creep }] },
    { metric: 'indexer_bulk_item_failures_per_second', service: 'indexer', level: 0.01, noise: 0.2, shifts: [{ at: 200, to: 45 }] },
    { metric: 'search_indexing_rejections_per_second', service: 'search-cluster', level: 0.01, noise: 0.2, shifts: [{ at: 200, to: 45 }] },
  ];
}

const logThresholds = [
  'diff --git a/search/indices/listings/settings.json b/search/indices/listings/settings.json',
  '--- a/search/indices/listings/settings.json',
  '+++ b/search/indices/listings/settings.json',
  '@@ -6,4 +6,4 @@',
  '     "number_of_replicas": 1,',
  '-    "search.slowlog.threshold.query.warn": "2s",',
  '-    "search.slowlog.threshold.query.info": "1s",',
  '+    "search.slowlog.threshold.query.warn": "1s",',
  '+    "search.slowlog.threshold.query.info": "500ms",',
  '     "max_result_window": 10000',
  '',
].join('\n');

const changes: BundleSpec['changes'] = [{ id: 'cfg-slowlog', service: 'search-cluster', type: 'config', at: 192, summary: 'listings index: lower slowlog thresholds', diff: logThresholds }];
const alert = { title: 'indexer bulk failures', service: 'indexer', at: 210 };
const logs = {
  indexer: [
    ...Array.from({ length: 100 }, (_, i) => ({ at: i * 2, level: 'info', message: `bulk flushed docs=500 took_ms=${380 + (i % 7)}` })),
    ...Array.from({ length: 20 }, (_, i) => ({ at: 200 + i, level: 'error', message: 'bulk item rejected: illegal_argument_exception limit of total fields exceeded' })),
  ],
  'search-cluster': [
    ...Array.from({ length: 100 }, (_, i) => ({ at: i * 2, level: 'info', message: `merged segments shard=${i % 5} took_ms=${120 + (i % 9)}` })),
    ...Array.from({ length: 20 }, (_, i) => ({ at: 200 + i, level: 'error', message: `failed to put mappings on indices [listings] shard=${i % 5}: limit of total fields exceeded` })),
  ],
};

describe('a precursor before the break', () => {
  it('dates the incident from the break, not from a latency that crept up by half an hour earlier', async () => {
    const r = await run({ alert, series: series(1.6), changes: [], logs });
    expect(statedOnset(r)).toBe(at(200));
  });

  it('keeps the earlier onset when that latency tripled: that was the outage beginning', async () => {
    const r = await run({ alert, series: series(3), changes: [], logs });
    expect(statedOnset(r)).toBe(at(60));
  });
});

describe('a config change whose edits all read as harmless', () => {
  it('has only its timing, as a deploy with no risky edit does, and is not named for it', async () => {
    const r = await run({ alert, series: series(1.6), changes, logs });
    const said = r.events
      .filter((e) => e.type === 'agent.message')
      .map((e) => (e.content[0] as { text: string }).text)
      .filter((text) => text.startsWith('cfg-slowlog'));
    expect(said.join('\n')).toContain('its diff shows no risky edit');
    expect(verdict(r)).not.toBe('cfg-slowlog');
  });
});
