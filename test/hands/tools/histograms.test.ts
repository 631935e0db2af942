// Histogram buckets: each bucket's rate is throughput; latency is the quantile read from the
// buckets together, as PromQL's histogram_quantile reads them.
import { beforeAll, describe, expect, it } from 'vitest';
import { histogramQuantile, histogramQuantileSeries } from '../../../src/hands/analysis/histograms.js';
import { seriesMeaning } from '../../../src/hands/analysis/series-meaning.js';
import { detectChanges } from '../../../src/hands/tools/detect-changes.js';
import { queryMetrics } from '../../../src/hands/tools/query-metrics.js';
import { call, contextFor, ONSET, writeBundle } from './helpers/bundle.js';

const START = Date.parse('2026-11-20T13:00:00Z');
const MINUTE = 60_000;
const BOUNDS = ['0.1', '0.25', '0.5', '1', '2.5', '+Inf'];

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket where the rank falls', () => {
    // 100/s in all: 50 under 0.1, 80 under 0.25, 100 under 0.5.
    const buckets = [
      { le: 0.1, rate: 50 },
      { le: 0.25, rate: 80 },
      { le: 0.5, rate: 100 },
      { le: Infinity, rate: 100 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1, 9);
    expect(histogramQuantile(0.65, buckets)).toBeCloseTo(0.175, 9);
    expect(histogramQuantile(0.99, buckets)).toBeCloseTo(0.25 + 0.25 * (19 / 20), 9);
    // Lowest bucket: from 0 to its bound.
    expect(histogramQuantile(0.2, buckets)).toBeCloseTo(0.04, 9);
  });

  it('returns the highest finite bound when the rank is in +Inf, and null without observations or +Inf', () => {
    expect(histogramQuantile(0.99, [{ le: 1, rate: 10 }, { le: Infinity, rate: 20 }])).toBe(1);
    expect(histogramQuantile(0.5, [{ le: 1, rate: 0 }, { le: Infinity, rate: 0 }])).toBeNull();
    expect(histogramQuantile(0.5, [{ le: 1, rate: 3 }, { le: 2, rate: 5 }])).toBeNull();
  });
});

describe('series meaning of histograms', () => {
  it('reads a bucket as throughput (traffic, neither worse nor better) and a derived quantile as latency', () => {
    expect(seriesMeaning('rpc_duration_seconds_bucket', { le: '0.5' })).toEqual({ measures: 'traffic', worseWhen: null, perUnit: false, canLeak: false, backlog: false, arrivals: false, hitShare: false, missShare: false, deviation: false });
    expect(seriesMeaning('histogram_quantile(0.99, rpc_duration_seconds_bucket)', { job: 'x' })).toMatchObject({ measures: 'latency', worseWhen: 'up' });
  });
});

/** Cumulative bucket counters, one per minute: requests/s stay at 40, and from ONSET most of them get slower. */
function bucketCounters(): Array<{ metric: Record<string, string>; values: Array<[number, string]> }> {
  const shareUnder = (le: string, slow: boolean): number => {
    const fast: Record<string, number> = { '0.1': 0.6, '0.25': 0.9, '0.5': 0.98, '1': 1, '2.5': 1, '+Inf': 1 };
    const late: Record<string, number> = { '0.1': 0.05, '0.25': 0.1, '0.5': 0.3, '1': 0.7, '2.5': 0.97, '+Inf': 1 };
    return (slow ? late : fast)[le] as number;
  };
  return BOUNDS.map((le) => {
    const values: Array<[number, string]> = [];
    let total = 0;
    for (let i = 0; i < 91; i++) {
      const t = START + i * MINUTE;
      total += 40 * 60 * shareUnder(le, t >= ONSET);
      values.push([t / 1000, total.toFixed(0)]);
    }
    return { metric: { __name__: 'ingest_wait_seconds_bucket', service: 'ingest', route: '/put', le }, values };
  });
}

let dir: string;
beforeAll(async () => {
  const result = bucketCounters();
  dir = await writeBundle({ 'metrics/histogram.json': JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) });
});

const P99_ID = 'histogram_quantile(0.99, ingest_wait_seconds_bucket){route="/put",service="ingest"}';

describe('histograms through the metrics tools', () => {
  it('derives quantile series with ids of their own, one per histogram', async () => {
    const { json } = await call(queryMetrics, { match: 'histogram_quantile*', stats_only: true }, await contextFor(dir));
    const ids = (json.series as Array<{ id: string }>).map((s) => s.id).sort();
    expect(ids).toEqual([
      'histogram_quantile(0.5, ingest_wait_seconds_bucket){route="/put",service="ingest"}',
      'histogram_quantile(0.95, ingest_wait_seconds_bucket){route="/put",service="ingest"}',
      P99_ID,
    ]);
  });

  it('finds the latency rise in the quantile, marked latency and worse', async () => {
    const { json } = await call(detectChanges, { series: [P99_ID] }, await contextFor(dir));
    const [p99] = json.change_points as Array<Record<string, unknown>>;
    expect(p99).toMatchObject({ series: P99_ID, direction: 'up', measures: 'latency', direction_meaning: 'worse', transform: 'none' });
    // Before: rank 0.99 in (0.5, 1] with 98% under 0.5 → 0.5 + 0.5·(0.01/0.02) = 0.75.
    expect(p99?.before as number).toBeCloseTo(0.75, 2);
    // After: rank 0.99 in (2.5, +Inf] → the highest finite bound.
    expect(p99?.after as number).toBeCloseTo(2.5, 2);
  });

  it('reads the buckets as throughput, never worse: slower requests leave the low buckets', async () => {
    const context = await contextFor(dir);
    const { json } = await call(detectChanges, { match: '*le="0.1"*' }, context);
    const [fast] = json.change_points as Array<Record<string, unknown>>;
    expect(fast).toMatchObject({ direction: 'down', measures: 'traffic', direction_meaning: 'less load', transform: 'rate' });
    const queried = await call(queryMetrics, { match: '*le=*', stats_only: true }, context);
    for (const s of queried.json.series as Array<Record<string, unknown>>) expect(s).toMatchObject({ measures: 'traffic', worse_when: null });
  });

  it('leaves a bucket family without +Inf underived', () => {
    const partial = bucketCounters()
      .filter((r) => r.metric.le !== '+Inf')
      .map((r) => ({
        id: `x{le="${r.metric.le}"}`,
        name: 'ingest_wait_seconds_bucket',
        service: 'ingest',
        labels: { le: r.metric.le as string },
        file: 'metrics/h.json',
        samples: r.values.map(([t, v]) => ({ t: t * 1000, v: Number(v) })),
      }));
    expect(histogramQuantileSeries(partial)).toEqual([]);
  });
});
