// Counters through the metrics tools: read as rates, so a steady climb is no change and a
// change of pace is one, with a restart of the process (a reset) in between.
import { beforeAll, describe, expect, it } from 'vitest';
import { detectChanges } from '../../../src/hands/tools/detect-changes.js';
import { queryMetrics } from '../../../src/hands/tools/query-metrics.js';
import { call, contextFor, ONSET, P99, writeBundle } from './helpers/bundle.js';
import { gaussian } from './helpers/random.js';

const START = Date.parse('2026-11-20T13:00:00Z');
const MINUTE = 60_000;
const REQUESTS = 'http_requests_total{service="checkout"}';
const ERRORS = 'http_server_errors_total{service="checkout"}';
const RESTART = START + 25 * MINUTE;

/** A counter sampled every minute: the increase over the minute ending at t is rate(t)·60; the process restarts at RESTART. */
function counter(rate: (t: number) => number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let total = 5000;
  for (let i = 0; i < 91; i++) {
    const t = START + i * MINUTE;
    const inc = Math.max(0, rate(t) * 60);
    total = t === RESTART ? inc : total + inc;
    out.push([t / 1000, total.toFixed(0)]);
  }
  return out;
}

let dir: string;

beforeAll(async () => {
  const noise = gaussian(21);
  const result = [
    { metric: { __name__: 'http_requests_total', service: 'checkout' }, values: counter(() => 120 + 3 * noise()) },
    { metric: { __name__: 'http_server_errors_total', service: 'checkout' }, values: counter((t) => (t >= ONSET ? 6 : 0.1) + 0.05 * noise()) },
  ];
  dir = await writeBundle({ 'metrics/counters.json': JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) });
});

describe('detect_changes on counters', () => {
  it('reads them as rates: the steady climb and the reset are no change, the error rate stepping up is', async () => {
    const { json } = await call(detectChanges, { series: [REQUESTS, ERRORS] }, await contextFor(dir));
    expect(json.counters_read_as_rate).toBe(2);
    expect(json.series_without_changes).toBe(1);
    const points = json.change_points as Array<Record<string, unknown>>;
    expect(points).toHaveLength(1);
    const [errors] = points;
    expect(errors).toMatchObject({
      series: ERRORS,
      onset: new Date(ONSET).toISOString(),
      direction: 'up',
      transform: 'rate',
      rate_window_seconds: 60,
      measures: 'errors',
      direction_meaning: 'worse',
    });
    expect(errors?.before as number).toBeCloseTo(0.1, 1);
    expect(errors?.after as number).toBeCloseTo(6, 0);
    expect(json.earliest_worse_onset).toMatchObject({ series: ERRORS, onset: new Date(ONSET).toISOString(), measures: 'errors' });
  });

  it('says what a move means for gauges too', async () => {
    const { json } = await call(detectChanges, { series: [P99] }, await contextFor(dir));
    expect(json.change_points[0]).toMatchObject({ direction: 'up', measures: 'latency', direction_meaning: 'worse', transform: 'none' });
  });
});

describe('query_metrics on counters', () => {
  it('returns the per-second rate by default and the cumulative values with raw: true', async () => {
    const context = await contextFor(dir);
    const rate = await call(queryMetrics, { series: [REQUESTS], to: '2026-11-20T13:50:00Z' }, context);
    const [series] = rate.json.series;
    expect(series).toMatchObject({ id: REQUESTS, kind: 'counter', transform: 'rate', unit: 'per second', measures: 'traffic', worse_when: null, arrivals: true });
    expect(series.stats.mean).toBeGreaterThan(115);
    expect(series.stats.mean).toBeLessThan(125);
    // No sample is read as a fall through zero at the restart.
    expect(series.stats.min).toBeGreaterThan(100);
    expect(series.increase).toBeGreaterThan(50 * 60 * 115);

    const raw = await call(queryMetrics, { series: [REQUESTS], to: '2026-11-20T13:50:00Z', raw: true }, context);
    const [cumulative] = raw.json.series;
    expect(cumulative).toMatchObject({ kind: 'counter', transform: 'none' });
    expect(cumulative.unit).toBeUndefined();
    expect(cumulative.stats.max).toBeGreaterThan(100_000);
  });

  it('marks gauges as gauges, with which way is worse', async () => {
    const { json } = await call(queryMetrics, { series: [P99], stats_only: true }, await contextFor(dir));
    expect(json.series[0]).toMatchObject({ kind: 'gauge', transform: 'none', measures: 'latency', worse_when: 'up' });
  });
});
