import { beforeAll, describe, expect, it } from 'vitest';
import { detectChanges } from '../../../src/hands/tools/detect-changes.js';
import { queryMetrics } from '../../../src/hands/tools/query-metrics.js';
import { ALERT_AT, call, contextFor, ERRORS, ONSET, P99, RATE, writeBundle } from './helpers/bundle.js';

let dir: string;

beforeAll(async () => {
  dir = await writeBundle();
});

describe('query_metrics', () => {
  it('downsamples to at most max_points on a shared grid, keeping gaps as null', async () => {
    const { json, isError } = await call(queryMetrics, { series: [P99], max_points: 100 }, await contextFor(dir));
    expect(isError).toBe(false);
    expect(json.grid).toEqual({ start: '2026-11-20T13:00:00.000Z', step_seconds: 60, points: 91 });
    const [series] = json.series;
    expect(series.id).toBe(P99);
    expect(series.values).toHaveLength(91);
    expect(series.values[30]).toBeNull();
    expect(series.values[31]).toBeNull();
    expect(series.values[0]).toBeCloseTo(0.25, 1);
    expect(series.values[90]).toBeCloseTo(1.4, 0);
    expect(series.stats).toMatchObject({ count: 89, gaps: 2 });
    expect(series.stats.last.at).toBe('2026-11-20T14:30:00.000Z');

    const coarse = await call(queryMetrics, { series: [P99], max_points: 10 }, await contextFor(dir));
    expect(coarse.json.grid.points).toBeLessThanOrEqual(10);
    expect(coarse.json.grid.step_seconds).toBe(600);
  });

  it('selects by name glob, service and regex; windows relative to the alert; splits at a pivot', async () => {
    const context = await contextFor(dir);
    const byGlob = await call(queryMetrics, { name: 'http_*', stats_only: true }, context);
    expect(byGlob.json.matched).toBe(3);
    expect(byGlob.json.series[0].values).toBeUndefined();
    const byRegex = await call(queryMetrics, { match: '/error|p99/', service: 'CHECKOUT', stats_only: true }, context);
    expect(byRegex.json.series.map((s: { id: string }) => s.id).sort()).toEqual([ERRORS, P99].sort());

    const windowed = await call(queryMetrics, { series: [P99], from: '-20m', to: 'alert', pivot: '2026-11-20T14:02:00Z' }, context);
    expect(windowed.json.window).toEqual({ from: new Date(ALERT_AT - 20 * 60_000).toISOString(), to: new Date(ALERT_AT).toISOString() });
    const pivot = windowed.json.series[0].pivot;
    expect(pivot.at).toBe(new Date(ONSET).toISOString());
    expect(pivot.before.count).toBe(12);
    expect(pivot.after.count).toBe(9);
    expect(pivot.before.mean).toBeCloseTo(0.25, 1);
    expect(pivot.ratio_after_to_before).toBeGreaterThan(4);
  });

  it('pages over series and says how to go on', async () => {
    const { json, text } = await call(queryMetrics, { limit: 2 }, await contextFor(dir));
    expect(json.series).toHaveLength(2);
    expect(json.truncated).toEqual({ omitted: 1, next_offset: 2, hint: 'call query_metrics again with offset: 2' });
    const tight = await call(queryMetrics, {}, await contextFor(dir, 1500));
    expect(tight.text.length).toBeLessThanOrEqual(1500);
    expect(tight.json.truncated.hint).toMatch(/offset: \d+/);
    expect(text.length).toBeGreaterThan(0);
  });

  it('explains a selection that matches nothing, and a bad time', async () => {
    const context = await contextFor(dir);
    const none = await call(queryMetrics, { service: 'nope' }, context);
    expect(none.isError).toBe(true);
    expect(none.json.hint).toContain(P99);
    expect(none.json.hint).toContain('services with metrics: checkout');
    const badTime = await call(queryMetrics, { from: 'yesterday-ish' }, context);
    expect(badTime.isError).toBe(true);
    expect(badTime.json.error).toContain('not a time');
    const badArgs = await call(queryMetrics, { max_points: 0 }, context);
    expect(badArgs.isError).toBe(true);
    expect(badArgs.json.error).toContain('max_points');
  });
});

describe('detect_changes', () => {
  it('finds the latency and error steps at the onset, ranked, tied to the deploy before them', async () => {
    const { json, isError } = await call(detectChanges, {}, await contextFor(dir));
    expect(isError).toBe(false);
    expect(json.series_scanned).toBe(3);
    const points = json.change_points as Array<Record<string, unknown>>;
    expect(points.map((p) => p.series).sort()).toEqual([ERRORS, P99].sort());
    for (const point of points) {
      expect(point.onset).toBe(new Date(ONSET).toISOString());
      expect(point).toMatchObject({ direction: 'up', shape: 'step', significant: true, onset_relative: '8m before the page' });
      expect(point.preceded_by).toEqual({ id: 'deploy-4821', service: 'checkout', type: 'deploy', before_onset: '4m' });
    }
    const zs = points.map((p) => p.z as number);
    expect(zs).toEqual([...zs].sort((a, b) => b - a));
    const p99 = points.find((p) => p.series === P99) as Record<string, number>;
    expect(p99.before).toBeCloseTo(0.25, 1);
    expect(p99.after).toBeCloseTo(1.4, 0);
    expect(p99.relative_change).toBeGreaterThan(4);
    expect(json.earliest_onset.onset).toBe(new Date(ONSET).toISOString());
    expect(json.series_without_changes).toBe(1);
  });

  it('finds nothing in the steady request rate, and filters by window', async () => {
    const context = await contextFor(dir);
    const steady = await call(detectChanges, { series: [RATE] }, context);
    expect(steady.json.change_points).toEqual([]);
    expect(steady.json.summary).toMatch(/^0 significant changes/);
    const before = await call(detectChanges, { to: '2026-11-20T13:59:00Z' }, context);
    expect(before.json.change_points).toEqual([]);
  });

  it('pages with offset and limit', async () => {
    const { json } = await call(detectChanges, { limit: 1 }, await contextFor(dir));
    expect(json.change_points).toHaveLength(1);
    expect(json.truncated).toEqual({ omitted: 1, next_offset: 1, hint: 'call detect_changes again with offset: 1' });
  });
});
